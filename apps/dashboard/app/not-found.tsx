import Link from 'next/link';
import { pageCountText, PAGES } from '../lib/pages';

// A page that does not exist, in the app's own colours and with a way back. The pages it names
// are the navigation's own list (lib/pages.ts), so the two cannot disagree.
export default function NotFound() {
  return (
    <div className="not-found panel" data-testid="not-found">
      <p className="code">404</p>
      <h1>There is no page here</h1>
      <p className="muted" data-testid="not-found-pages">
        The dashboard has {pageCountText()}:{' '}
        {PAGES.map((p, i) => (
          <span key={p.href}>
            <Link href={p.href}>{p.label}</Link>
            {i < PAGES.length - 2 ? ', ' : i === PAGES.length - 2 ? ' and ' : '.'}
          </span>
        ))}
      </p>
      <p><Link href="/">Back to live operations</Link></p>
    </div>
  );
}
