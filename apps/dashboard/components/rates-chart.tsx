'use client';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { QueuesSnapshot } from '@riderflow/contracts';

const WINDOW = 120;
const SERIES = [
  { key: 'publish', label: 'publish', colour: '#60a5fa' },
  { key: 'deliver', label: 'deliver', colour: '#facc15' },
  { key: 'ack', label: 'ack', colour: '#4ade80' },
] as const;

/**
 * Publish, deliver and ack rates summed over all queues, last two minutes, from the history the
 * gateway keeps (so the first paint is already full). Three small charts on one time axis rather
 * than three lines on one: in a steady state the three rates are equal and would hide each other.
 */
export function RatesChart({ snapshot }: { snapshot: QueuesSnapshot | null }) {
  const rates = snapshot?.rates ?? [];
  const t0 = rates.at(-1)?.at ?? 0;
  const data = rates.filter((p) => p.at >= t0 - WINDOW * 1000).map((p) => ({ ...p, t: Math.round((p.at - t0) / 1000) }));
  const top = Math.max(1, ...data.flatMap((p) => [p.publish, p.deliver, p.ack]));
  return (
    <div className="rates-multiples" data-testid="rates-chart" data-points={data.length} data-span={data.length ? data.at(-1)!.t - data[0]!.t : 0}>
      {SERIES.map((s, i) => (
        <div key={s.key}>
          <p className="rate-title" style={{ color: s.colour }}>
            {s.label} <span className="muted">{(data.at(-1)?.[s.key] ?? 0).toFixed(1)} msg/s now</span>
          </p>
          <ResponsiveContainer width="100%" height={i === SERIES.length - 1 ? 110 : 86}>
            <LineChart data={data} margin={{ top: 4, right: 16, bottom: i === SERIES.length - 1 ? 18 : 0, left: 8 }} syncId="rates">
              <CartesianGrid stroke="#2a3449" vertical={false} />
              <XAxis dataKey="t" type="number" domain={[-WINDOW, 0]} hide={i !== SERIES.length - 1} tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: 'seconds ago', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
              <YAxis width={40} domain={[0, Math.ceil(top)]} tick={{ fill: '#93a0b8', fontSize: 10 }} tickCount={3} />
              <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} labelFormatter={(t) => `${-Number(t)} s ago`} formatter={(v) => [`${Number(v).toFixed(2)} msg/s`, s.label]} />
              <Line dataKey={s.key} stroke={s.colour} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ))}
    </div>
  );
}
