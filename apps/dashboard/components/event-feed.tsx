'use client';
import type { LiveFrame } from '@riderflow/contracts';
import { clock } from '../lib/format';

// The newest events as sentences, coloured by kind so a glance tells orders from riders, dispatch,
// weather and plans. The list fills its panel and scrolls.

const KINDS: [RegExp, string, string][] = [
  [/^order\.delivered$/, 'delivered', 'delivery'],
  [/^order\.cancelled$|^event\.dead$/, 'problem', 'problem'],
  [/^order\./, 'order', 'order'],
  [/^dispatch\./, 'dispatch', 'dispatch'],
  [/^rider\./, 'rider', 'rider'],
  [/^weather\./, 'weather', 'weather'],
  [/^roster\./, 'roster', 'rostering'],
];

function kindOf(type: string): [string, string] {
  const k = KINDS.find(([re]) => re.test(type));
  return k ? [k[1], k[2]] : ['other', 'event'];
}

export function EventFeed({ items }: { items: LiveFrame['feed'] }) {
  if (items.length === 0) return <p className="muted feed">No events yet: the feed starts with the first order.</p>;
  return (
    // focusable, so the list scrolls from the keyboard too
    <ul className="feed" data-testid="event-feed" tabIndex={0} aria-label="Newest events first">
      {items.map((f, i) => {
        const [kind, label] = kindOf(f.type);
        return (
          <li key={`${f.ts}-${i}`} className={`k-${kind}`}>
            <span className="t">{clock(f.ts)}</span>
            <span className="kind">{label}</span>
            {f.text}
          </li>
        );
      })}
    </ul>
  );
}
