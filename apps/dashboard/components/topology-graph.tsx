'use client';
import type { QueuesSnapshot } from '@riderflow/contracts';

// Exchanges on the left, queues on the right, one unlabelled curve per binding. The routing keys
// are listed inside each queue's node, one line per binding, so no label ever sits on a crossing
// of curves (drawing each key at its curve's middle smeared them over one another). Every label
// has a row of its own in a column of its own: labels cannot overlap at any width.

const W = 760;
const EX_X = 10;
const EX_W = 210;
const Q_X = 470;
const Q_W = 280;
const HEAD = 22;
const LINE = 14;
const GAP = 10;

/** cut text to what fits a box (SVG text does not wrap); the full text stays in the title */
function fit(text: string, px: number, charPx: number): string {
  const max = Math.floor(px / charPx);
  return text.length <= max ? text : text.slice(0, Math.max(1, max - 1)) + '…';
}

/** room for a queue's name on its head line: what the counts after it leave of the box (a server-named queue's 31 characters ran past it) */
function nameRoom(ready: number, unacked: number): number {
  return Math.min(150, Q_W - 16 - `${ready} ready · ${unacked} unacked`.length * 6.6);
}

/** `waiting`: what the page is waiting for while there is no snapshot yet, in words */
export function TopologyGraph({ snapshot, waiting }: { snapshot: QueuesSnapshot | null; waiting: string }) {
  if (!snapshot) return <div className="muted" data-testid="queues-waiting">{waiting}</div>;
  const ex = snapshot.exchanges;
  const qs = snapshot.queues;
  const bindings = snapshot.bindings.filter((b) => ex.some((e) => e.name === b.source) && qs.some((q) => q.name === b.destination));
  // queue nodes: a head line plus one line per binding, stacked without overlap
  let y = 10;
  const qNodes = qs.map((q) => {
    const keys = bindings.filter((b) => b.destination === q.name);
    const sources = new Set(keys.map((k) => k.source));
    const h = HEAD + keys.length * LINE + 6;
    const node = { q, y, h, keys: keys.map((k) => ({ source: k.source, text: (sources.size > 1 ? `${k.source}: ` : '') + (k.routingKey || '(every key)') })) };
    y += h + GAP;
    return node;
  });
  const H = Math.max(y, ex.length * 40 + 10);
  const exStep = ex.length ? (H - 10) / ex.length : 0;
  const exY = new Map(ex.map((e, i) => [e.name, 10 + i * exStep + exStep / 2]));
  const qMid = new Map(qNodes.map((n) => [n.q.name, n.y + n.h / 2]));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W * 1.15, display: 'block' }} data-testid="topology-graph" role="img" aria-label={`Exchanges and the queues bound to them: ${bindings.length} bindings`}>
      {bindings.map((b, i) => {
        const y1 = exY.get(b.source)!;
        const y2 = qMid.get(b.destination)!;
        return <path key={i} d={`M ${EX_X + EX_W} ${y1} C ${EX_X + EX_W + 120} ${y1}, ${Q_X - 120} ${y2}, ${Q_X} ${y2}`} stroke="#3b4a66" fill="none" />;
      })}
      {ex.map((e) => (
        <g key={e.name}>
          <title>{`exchange ${e.name} (${e.type})`}</title>
          <rect x={EX_X} y={exY.get(e.name)! - 12} width={EX_W} height={24} rx={5} fill="#1e293b" stroke="#60a5fa" />
          <text className="topo-label" x={EX_X + 8} y={exY.get(e.name)! + 4} fontSize="12" fill="#e6e9ef">
            {fit(e.name, EX_W - 70, 7)} <tspan fill="#93a0b8">({e.type})</tspan>
          </text>
        </g>
      ))}
      {qNodes.map((n) => (
        <g key={n.q.name} data-testid={`graph-queue-${n.q.name}`}>
          <title>{`queue ${n.q.name}: ready ${n.q.ready}, unacked ${n.q.unacked}; bound by ${n.keys.map((k) => k.text).join(', ') || 'nothing'}`}</title>
          <rect x={Q_X} y={n.y} width={Q_W} height={n.h} rx={5} fill="#1e293b" stroke={n.q.name === 'tasks.dead' ? '#f87171' : '#4ade80'} />
          <text className="topo-label" x={Q_X + 8} y={n.y + 16} fontSize="12" fill="#e6e9ef">
            {fit(n.q.name, nameRoom(n.q.ready, n.q.unacked), 7)} <tspan fill="#93a0b8">{n.q.ready} ready · {n.q.unacked} unacked</tspan>
          </text>
          {n.keys.map((k, i) => (
            <text key={i} className="topo-label" x={Q_X + 14} y={n.y + HEAD + i * LINE + 9} fontSize="10" fill="#93a0b8">
              {fit(`key ${k.text}`, Q_W - 20, 6)}
            </text>
          ))}
        </g>
      ))}
    </svg>
  );
}

/** every binding as a row: the graph's routing keys in a form that can be read, sorted and copied */
export function BindingsTable({ snapshot }: { snapshot: QueuesSnapshot | null }) {
  const rows = [...(snapshot?.bindings ?? [])].sort((a, b) => a.source.localeCompare(b.source) || a.routingKey.localeCompare(b.routingKey) || a.destination.localeCompare(b.destination));
  return (
    <div className="table-scroll tall" tabIndex={0} role="region" aria-label="bindings">
      <table data-testid="bindings-table">
        <thead><tr><th>exchange</th><th>routing key</th><th>queue</th></tr></thead>
        <tbody>
          {/* a client's server-named queue (amq.gen- and 22 characters) or a long key wraps inside its
              cell instead of widening the table past the panel at 1280; the full text is the title */}
          {rows.map((b, i) => (
            <tr key={i} data-testid="binding-row">
              {/* exchanges are the platform's own short names: kept whole so "notifications.retry" does not break */}
              <td title={b.source}>{b.source}</td>
              <td className="wrap-name" title={b.routingKey || 'every key'}>{b.routingKey || <span className="muted">(every key)</span>}</td>
              <td className="wrap-name" title={b.destination}>{b.destination}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
