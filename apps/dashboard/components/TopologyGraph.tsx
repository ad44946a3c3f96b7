'use client';
import type { QueuesSnapshot } from '../lib/types';

/** Exchanges on the left, queues on the right, one line per binding, live depth on each queue. */
export function TopologyGraph({ snapshot }: { snapshot: QueuesSnapshot | null }) {
  if (!snapshot) return <div className="muted">Waiting for the broker…</div>;
  const ex = snapshot.exchanges;
  const qs = snapshot.queues;
  const rowH = 34;
  const H = Math.max(ex.length, qs.length) * rowH + 20;
  const W = 760;
  const ey = (name: string) => 20 + ex.findIndex((e) => e.name === name) * rowH + rowH / 2;
  const qy = (name: string) => 20 + qs.findIndex((q) => q.name === name) * rowH + rowH / 2;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" data-testid="topology-graph" role="img" aria-label="exchange to queue graph">
      {snapshot.bindings.filter((b) => ex.some((e) => e.name === b.source) && qs.some((q) => q.name === b.destination)).map((b, i) => (
        <g key={i}>
          <path d={`M 200 ${ey(b.source)} C 330 ${ey(b.source)}, 380 ${qy(b.destination)}, 500 ${qy(b.destination)}`} stroke="#3b4a66" fill="none" />
          <text x={350} y={(ey(b.source) + qy(b.destination)) / 2 - 3} fontSize="10" fill="#93a0b8" textAnchor="middle">{b.routingKey || '(all)'}</text>
        </g>
      ))}
      {ex.map((e) => (
        <g key={e.name}>
          <rect x={10} y={ey(e.name) - 12} width={190} height={24} rx={5} fill="#1e293b" stroke="#60a5fa" />
          <text x={18} y={ey(e.name) + 4} fontSize="12" fill="#e6e9ef">{e.name} <tspan fill="#93a0b8">({e.type})</tspan></text>
        </g>
      ))}
      {qs.map((q) => (
        <g key={q.name} data-testid={`graph-queue-${q.name}`}>
          <rect x={500} y={qy(q.name) - 12} width={250} height={24} rx={5} fill="#1e293b" stroke={q.name === 'tasks.dead' ? '#f87171' : '#4ade80'} />
          <text x={508} y={qy(q.name) + 4} fontSize="12" fill="#e6e9ef">{q.name} <tspan fill="#93a0b8">ready {q.ready} · unacked {q.unacked}</tspan></text>
        </g>
      ))}
    </svg>
  );
}
