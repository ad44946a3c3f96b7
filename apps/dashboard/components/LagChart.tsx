'use client';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LogSnapshot } from '../lib/types';

const COLOURS = ['#60a5fa', '#4ade80', '#facc15', '#f472b6', '#fb923c', '#a78bfa', '#2dd4bf', '#f87171'];

/** Consumer-group lag over the last few minutes (fixed window, no animation: it is a live series). */
export function LagChart({ log, metric }: { log: LogSnapshot | null; metric: 'lag' | 'lagSeconds' }) {
  const history = log?.history ?? [];
  const groups = [...new Set(history.flatMap((h) => Object.keys(h.groups)))].filter((g) => !g.startsWith('dashboard-browser-')).slice(0, 8);
  const t0 = history.at(-1)?.at ?? 0;
  const data = history.map((h) => ({ t: Math.round((h.at - t0) / 1000), ...Object.fromEntries(groups.map((g) => [g, h.groups[g]?.[metric] ?? null])) }));
  const unit = metric === 'lag' ? 'messages' : 'seconds';
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="#2a3449" />
        <XAxis dataKey="t" type="number" domain={[-300, 0]} tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: 'seconds ago (wall clock)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
        <YAxis tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: `lag (${unit})`, angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11 }} />
        <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
        {groups.map((g, i) => <Line key={g} type="monotone" dataKey={g} stroke={COLOURS[i % COLOURS.length]} dot={false} isAnimationActive={false} connectNulls />)}
      </LineChart>
    </ResponsiveContainer>
  );
}
