import Link from 'next/link';

// A page that does not exist, in the app's own colours and with a way back.
export default function NotFound() {
  return (
    <div className="not-found panel" data-testid="not-found">
      <p className="code">404</p>
      <h1>There is no page here</h1>
      <p className="muted">The dashboard has five pages: live operations, the log, the queues, rostering and the walkthrough.</p>
      <p><Link href="/">Back to live operations</Link></p>
    </div>
  );
}
