'use client';
import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { QueuesSnapshot } from '../lib/types';

const WINDOW = 120;

/** Publish, deliver and ack rates summed over all queues, last two minutes. */
export function RatesChart({ snapshot }: { snapshot: QueuesSnapshot | null }) {
  const [series, setSeries] = useState<{ at: number; publish: number; deliver: number; ack: number }[]>([]);
  useEffect(() => {
    if (!snapshot) return;
    const sum = (k: 'publishRate' | 'deliverRate' | 'ackRate') => snapshot.queues.reduce((s, q) => s + q[k], 0);
    setSeries((s) => (s.at(-1)?.at === snapshot.at ? s : [...s, { at: snapshot.at, publish: sum('publishRate'), deliver: sum('deliverRate'), ack: sum('ackRate') }].slice(-WINDOW)));
  }, [snapshot]);
  const t0 = series.at(-1)?.at ?? 0;
  const data = series.map((p) => ({ ...p, t: Math.round((p.at - t0) / 1000) }));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="#2a3449" />
        <XAxis dataKey="t" type="number" domain={[-WINDOW, 0]} tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: 'seconds ago', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
        <YAxis tick={{ fill: '#93a0b8', fontSize: 11 }} label={{ value: 'messages / s', angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11 }} />
        <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
        <Line dataKey="publish" stroke="#60a5fa" dot={false} isAnimationActive={false} />
        <Line dataKey="deliver" stroke="#facc15" dot={false} isAnimationActive={false} />
        <Line dataKey="ack" stroke="#4ade80" dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
