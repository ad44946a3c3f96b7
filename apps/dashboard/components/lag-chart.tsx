'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LogPageSnapshot } from '@riderflow/contracts';

export const LAG_COLOURS = ['#60a5fa', '#4ade80', '#facc15', '#f472b6', '#fb923c', '#a78bfa', '#2dd4bf', '#f87171'];

/** Consumer-group lag over the last few minutes for the chosen groups (no animation: it is a live series). */
export function LagChart({ log, metric, groups }: { log: LogPageSnapshot | null; metric: 'lag' | 'lagSeconds'; groups: string[] }) {
  const all = log?.history ?? [];
  const t0 = all.at(-1)?.at ?? 0;
  // the last five minutes exactly: a slow sampler keeps a longer history, which would stretch the axis
  const history = all.filter((h) => h.at >= t0 - 300_000);
  const data = history.map((h) => ({ t: Math.round((h.at - t0) / 1000), ...Object.fromEntries(groups.map((g) => [g, h.groups[g]?.[metric] ?? null])) }));
  const unit = metric === 'lag' ? 'messages' : 'seconds';
  return (
    <div data-testid={`lag-chart-${metric}`} data-lines={groups.length}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#2a3449" />
          <XAxis dataKey="t" type="number" domain={[-300, 0]} tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: 'seconds ago (wall clock)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
          <YAxis tick={{ fill: '#93a0b8', fontSize: 11 }} allowDecimals={metric === 'lagSeconds'} domain={[0, (max: number) => (metric === 'lagSeconds' ? Math.max(5, Math.ceil(max)) : Math.max(10, max))]} label={{ value: `lag (${unit})`, angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11 }} />
          <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} labelFormatter={(t) => `${-Number(t)} s ago`} />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
          {groups.map((g, i) => <Line key={g} type="linear" dataKey={g} stroke={LAG_COLOURS[i % LAG_COLOURS.length]} dot={false} isAnimationActive={false} connectNulls />)}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
