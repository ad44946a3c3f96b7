'use client';
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { NotLive } from '../../components/Shell';
import { api, fmt, fmtTime } from '../../lib/api';
import { useBrokerLive } from '../../lib/live';

interface RosteringData {
  latest: { planId: string; modelVersion: string; bucketStart: number; horizonMin: number; moves: { riderId: string; fromZoneId: string; toZoneId: string }[]; callIns: { hourStart: number; riders: number }[] } | null;
  history: { planId: string; bucketStart: number; forecast: number; actual: number | null }[];
  zones: { zoneId: string; forecast: number; actualSoFar: number; ridersNeeded: number; ridersPresent: number }[];
  dayPlan: { day: number; planId: string; forecastSource: string; shiftsBooked: number; hours: { hourStart: number; forecastOrders: number; ridersNeeded: number; ridersBooked: number }[] } | null;
  models: { version: string; createdAt: string | null; backend: string | null; metrics: Record<string, unknown> | null; baselines: Record<string, unknown> | null }[];
}

const axis = { fill: '#93a0b8', fontSize: 11 };

/** A bar chart of two or more series over a category axis, both axes labelled with units. */
function Bars({ data, xKey, xLabel, yLabel, bars, height = 240 }: { data: object[]; xKey: string; xLabel: string; yLabel: string; bars: { key: string; name: string; fill: string }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="#2a3449" />
        <XAxis dataKey={xKey} tick={axis} label={{ value: xLabel, position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
        <YAxis tick={axis} label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11 }} />
        <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
        {bars.map((b) => <Bar key={b.key} dataKey={b.key} name={b.name} fill={b.fill} isAnimationActive={false} />)}
      </BarChart>
    </ResponsiveContainer>
  );
}

function metricCell(m: Record<string, unknown> | null, key: string): string {
  const v = m?.[key];
  return typeof v === 'number' ? fmt(v, 2) : '—';
}

export default function RosteringPage() {
  const live = useBrokerLive('log');
  const [data, setData] = useState<RosteringData | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => api<RosteringData>('/api/rostering').then((d) => alive && setData(d)).catch(() => {});
    load();
    const t = setInterval(load, 2000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, []);
  const retrain = async () => {
    try {
      const r = await api<{ jobId: string }>('/api/rostering/retrain', { method: 'POST', body: {} });
      setNote(`retrain job ${r.jobId} enqueued on exchange "jobs"`);
    } catch (e) {
      setNote(`retrain failed: ${(e as Error).message}`);
    }
  };
  const dayHours = (data?.dayPlan?.hours ?? []).filter((h) => h.ridersNeeded > 0 || h.ridersBooked > 0).map((h) => ({ ...h, label: fmtTime(h.hourStart).slice(11, 16) }));
  const history = (data?.history ?? []).slice(-48).map((h) => ({ ...h, label: fmtTime(h.bucketStart).slice(11, 16) }));
  return (
    <>
      <h1>Rostering — forecast, riders needed, moves</h1>
      <NotLive what="The event log" live={live} />
      <div className="grid cols-2e">
        <div className="panel">
          <h2>Forecast vs actual per zone (latest plan{data?.latest ? `, next ${data.latest.horizonMin} min from ${fmtTime(data.latest.bucketStart).slice(11, 16)}` : ''})</h2>
          <Bars data={data?.zones ?? []} xKey="zoneId" xLabel="zone" yLabel="orders" bars={[{ key: 'forecast', name: 'forecast', fill: '#60a5fa' }, { key: 'actualSoFar', name: 'actual so far', fill: '#4ade80' }]} />
        </div>
        <div className="panel">
          <h2>Riders needed vs present per zone</h2>
          <Bars data={data?.zones ?? []} xKey="zoneId" xLabel="zone" yLabel="riders" bars={[{ key: 'ridersNeeded', name: 'needed', fill: '#facc15' }, { key: 'ridersPresent', name: 'present', fill: '#a78bfa' }]} />
        </div>
        <div className="panel">
          <h2>Forecast vs actual over time (all zones, per plan horizon)</h2>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={history} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
              <CartesianGrid stroke="#2a3449" />
              <XAxis dataKey="label" tick={axis} label={{ value: 'plan start (simulated time)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
              <YAxis tick={axis} label={{ value: 'orders', angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11 }} />
              <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
              <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
              <Line dataKey="forecast" stroke="#60a5fa" dot={false} isAnimationActive={false} />
              <Line dataKey="actual" stroke="#4ade80" dot={false} isAnimationActive={false} connectNulls={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <div className="panel">
          <h2>Current plan</h2>
          {data?.latest ? (
            <>
              <p data-testid="current-plan">Plan {data.latest.planId}, model {data.latest.modelVersion}: {data.latest.moves.length} moves.</p>
              <table>
                <thead><tr><th>rider</th><th>from zone</th><th>to zone</th></tr></thead>
                <tbody>{data.latest.moves.slice(0, 12).map((m) => <tr key={m.riderId}><td>{m.riderId}</td><td>{m.fromZoneId}</td><td>{m.toZoneId}</td></tr>)}</tbody>
              </table>
              <p className="muted">Call in: {data.latest.callIns.map((c) => `${fmtTime(c.hourStart).slice(11, 16)} +${c.riders}`).join(', ') || 'nobody'}</p>
            </>
          ) : <p className="muted">No plan yet.</p>}
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }} data-testid="day-plan">
        <h2>Day plan — when the riders' announced hours fall{data?.dayPlan ? ` (${fmtTime(data.dayPlan.day).slice(0, 10)})` : ''}</h2>
        {data?.dayPlan ? (
          <>
            <p className="muted">{data.dayPlan.shiftsBooked} shifts booked from the day-ahead forecast ({data.dayPlan.forecastSource}); riders keep their hours and days off, rostering chooses when. Riders who had started, or were about to, when the plan was made keep their own start and are not counted as booked.</p>
            <Bars data={dayHours} xKey="label" xLabel="hour (simulated time)" yLabel="riders" height={220} bars={[{ key: 'ridersNeeded', name: 'needed (day-ahead forecast)', fill: '#facc15' }, { key: 'ridersBooked', name: 'booked by rostering', fill: '#a78bfa' }]} />
          </>
        ) : <p className="muted">No day plan yet: riders announce their hours at 18:00 for the next day (at the start of a run for the rest of today), and a plan needs a day of history.</p>}
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Model versions against the baselines (held-out day)</h2>
        <div className="row">
          <button onClick={retrain} data-testid="retrain-button">Retrain (enqueue a job)</button>
          {note && <span className="muted" data-testid="retrain-note">{note}</span>}
        </div>
        <table data-testid="models-table">
          <thead><tr><th>version</th><th>created</th><th>backend</th><th className="num">model MAE</th><th className="num">model RMSE</th><th>baselines (MAE)</th></tr></thead>
          <tbody>
            {(data?.models ?? []).map((m) => (
              <tr key={m.version}>
                <td>{m.version}</td><td>{m.createdAt ?? '—'}</td><td>{m.backend ?? '—'}</td><td className="num">{metricCell(m.metrics, 'mae')}</td><td className="num">{metricCell(m.metrics, 'rmse')}</td>
                <td className="muted">{m.baselines ? Object.entries(m.baselines).map(([k, v]) => `${k}: ${typeof v === 'object' && v ? fmt((v as { mae?: number }).mae ?? null, 2) : fmt(v as number, 2)}`).join(' · ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
