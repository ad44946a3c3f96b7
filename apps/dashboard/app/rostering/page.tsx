'use client';
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { NotLive } from '../../components/shell';
import { api, fmt } from '../../lib/api';
import { plural } from '../../lib/format';
import { hhmm, planName, simDay } from '../../lib/plan-name';
import { useBrokerLive, useFrame } from '../../lib/live';

interface RetrainStatus { jobId: string; status: 'queued' | 'running' | 'finished' | 'failed'; ts: number; activeModel: string; version?: string; mae?: number; bestBaselineMae?: number; error?: string }
interface StaffingRule { serviceMin: number; doorMin: number; targetMin: number; targetShare: number; observed: boolean }
interface RosteringData {
  latest: { planId: string; modelVersion: string; bucketStart: number; horizonMin: number; cityRidersNeeded?: number; ridersOnShift?: number; rule?: StaffingRule; moves: { riderId: string; fromZoneId: string; toZoneId: string }[]; callIns: { hourStart: number; riders: number }[] } | null;
  lastComplete: { planId: string; bucketStart: number; horizonMin: number; zones: { zoneId: string; forecast: number; actual: number }[] } | null;
  mae: { model: number; windows: number } | null;
  calibration: { hourStart: number; ridersNeeded: number | null; ridersOnShift: number | null; created: number; within40: number; settled: boolean }[];
  retrains: RetrainStatus[];
  activeModel: string | null;
  clock: number;
  history: { planId: string; bucketStart: number; forecast: number; actual: number | null }[];
  zones: { zoneId: string; forecast: number; actualSoFar: number; ridersNeeded: number; ridersPresent: number }[];
  dayPlan: { day: number; planId: string; forecastSource: string; shiftsBooked: number; hours: { hourStart: number; forecastOrders: number; ridersNeeded: number; ridersBooked: number }[] } | null;
  models: { version: string; createdAt: string | null; backend: string | null; metrics: Record<string, unknown> | null; baselines: Record<string, unknown> | null; baselineNotes?: Record<string, string> | null }[];
}

const axis = { fill: '#93a0b8', fontSize: 11 };
/** The staffing rule in one sentence, with the numbers the newest plan used. */
function ruleSentence(rule: StaffingRule | undefined): string {
  // a plan that carries no rule (none yet, or one made before plans recorded theirs): say the rule
  // without numbers rather than show defaults this page would have to keep in step with rostering's
  if (!rule) return 'The rule: dispatch sends riders across zones, so the city is one queue (M/M/c); riders needed is the fewest that keep most orders waiting only briefly for a rider in the forecast\'s busiest 15 minutes (the numbers appear with the first plan that records them).';
  const r = rule;
  const budget = Math.max(0, r.targetMin - r.doorMin);
  const source = r.observed ? 'what dispatch achieved over the last 6 simulated hours' : 'what dispatch achieves on the simulated city, measured by npm run rostering:staffing-check';
  return `The rule: dispatch sends riders across zones, so the city is one queue (M/M/c); riders needed is the fewest that keep ${Math.round(r.targetShare * 100)} % of orders waiting under ${fmt(budget, 0)} min for a rider in the forecast's busiest 15 minutes, with ${fmt(r.serviceMin, 1)} rider-minutes per order and ${fmt(r.doorMin, 1)} min from assignment to the door (${source}), so that ${Math.round(r.targetShare * 100)} % reach the door within ${r.targetMin} min of the click.`;
}

/** Orders placed in settled hours with riders on shift ≥ needed, and < 0.8 × needed: how many came, share within 40 min. */
function calibrationSummary(rows: RosteringData['calibration']): { staffed: [number, number, number]; short: [number, number, number] } {
  const staffed: [number, number, number] = [0, 0, 0];
  const short: [number, number, number] = [0, 0, 0];
  for (const h of rows) {
    if (!h.settled || h.created === 0 || h.ridersNeeded === null || h.ridersOnShift === null) continue;
    const g = h.ridersOnShift >= h.ridersNeeded ? staffed : h.ridersOnShift < 0.8 * h.ridersNeeded ? short : null;
    if (!g) continue;
    g[0]++;
    g[1] += h.created;
    g[2] += h.within40;
  }
  return { staffed, short };
}
const shareText = ([hours, created, within]: [number, number, number]) => (hours === 0 ? 'none yet' : `${plural(hours, 'hour')}, ${plural(created, 'order')}, ${fmt((within / created) * 100, 1)} % within 40 min`);

const STATUS_TEXT: Record<RetrainStatus['status'], string> = { queued: 'queued (waiting on jobs.rostering)', running: 'running (replaying the log and training)', finished: 'finished', failed: 'failed' };

/** A bar chart of two or more series over a category axis, both axes labelled with units. */
function Bars({ data, xKey, xLabel, yLabel, bars, height = 240 }: { data: object[]; xKey: string; xLabel: string; yLabel: string; bars: { key: string; name: string; fill: string }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="#2a3449" />
        <XAxis dataKey={xKey} tick={axis} label={{ value: xLabel, position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
        <YAxis tick={axis} allowDecimals={false} label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11, style: { textAnchor: 'middle' } }} />
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
  // "now" is the header's clock (the simulated world's), not the newest order's time, which
  // trails it by however long the city has been quiet: two clocks on one screen would disagree.
  const simNow = useFrame().frame?.simTime ?? 0;
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
      setNote(`retrain job ${r.jobId.slice(0, 8)} enqueued on exchange "jobs"; its progress shows below`);
    } catch (e) {
      setNote(`retrain not enqueued: ${(e as Error).message}`); // the API refuses a window that cannot train, in words
    }
  };
  const dayHours = (data?.dayPlan?.hours ?? []).filter((h) => h.ridersNeeded > 0 || h.ridersBooked > 0).map((h) => ({ ...h, label: hhmm(h.hourStart) }));
  const history = (data?.history ?? []).slice(-48).map((h) => ({ ...h, label: hhmm(h.bucketStart) }));
  const calibration = (data?.calibration ?? []).map((h) => ({ ...h, label: hhmm(h.hourStart), onTime: h.settled && h.created > 0 ? Math.round((h.within40 / h.created) * 1000) / 10 : null }));
  const summary = calibrationSummary(data?.calibration ?? []);
  const latest = data?.latest ?? null;
  const done = data?.lastComplete ?? null;
  return (
    <>
      <h1>Rostering — forecast, riders needed, moves</h1>
      <p className="muted" data-testid="clock-note">Times are simulated (the city's clock, {simNow ? `now ${simDay(simNow)} ${hhmm(simNow)}` : 'not started'}); the only wall-clock times are the models' training times, and they say so.</p>
      <NotLive what="The event log" live={live} />
      <div className="grid cols-2e">
        <div className="panel" data-testid="zone-forecast">
          <h2>Forecast vs actual per zone{done ? ` — ${planName(done.bucketStart, done.horizonMin)}` : ''}</h2>
          <p className="muted">The newest plan whose {done?.horizonMin ?? 45} minutes are over: what it forecast for each zone and the orders that then came.</p>
          {done?.zones?.length ? (
            <Bars data={done.zones} xKey="zoneId" xLabel="zone" yLabel="orders per zone per 45 min" bars={[{ key: 'forecast', name: 'forecast', fill: '#60a5fa' }, { key: 'actual', name: 'actual', fill: '#4ade80' }]} />
          ) : (
            // an empty chart reads as "nothing was forecast"; say why there is nothing to compare yet
            <p className="muted" data-testid="zone-forecast-empty">No plan window is over yet: the first comparison appears {latest ? `when the ${planName(latest.bucketStart, latest.horizonMin)} ends` : 'once a plan\'s 45 minutes are over'}.</p>
          )}
        </div>
        <div className="panel" data-testid="riders-needed">
          <h2>Riders needed vs on shift{latest ? ` — ${planName(latest.bucketStart, latest.horizonMin)}` : ''}</h2>
          {latest?.cityRidersNeeded !== undefined ? (
            <p data-testid="city-need"><strong>{latest.cityRidersNeeded}</strong> {latest.cityRidersNeeded === 1 ? 'rider' : 'riders'} needed city-wide, <strong>{latest.ridersOnShift ?? '—'}</strong> on shift.</p>
          ) : <p className="muted">No plan with a city-wide need yet.</p>}
          <p className="muted" data-testid="rule-sentence">{ruleSentence(latest?.rule)} A zone's bar is its share of that need by forecast: where riders should be, not extra riders.</p>
          <Bars data={data?.zones ?? []} xKey="zoneId" xLabel="zone" yLabel="riders" height={200} bars={[{ key: 'ridersNeeded', name: 'needed (share of the city)', fill: '#facc15' }, { key: 'ridersPresent', name: 'present in the zone', fill: '#a78bfa' }]} />
        </div>
        <div className="panel" data-testid="forecast-history">
          <h2>Forecast vs actual over time (all zones, each plan's 45-minute window)</h2>
          <p className="muted" data-testid="forecast-mae">{data?.mae ? `MAE ${fmt(data.mae.model, 2)} orders per zone per 45-minute window, over the last ${plural(data.mae.windows, 'window')} that ${data.mae.windows === 1 ? 'is' : 'are'} over.` : 'No plan window is over yet.'}</p>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={history} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
              <CartesianGrid stroke="#2a3449" />
              <XAxis dataKey="label" tick={axis} label={{ value: 'window start (simulated time)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
              <YAxis tick={axis} allowDecimals={false} label={{ value: 'orders per 45 min, city', angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11, style: { textAnchor: 'middle' } }} />
              <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
              <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
              <Line dataKey="forecast" name="forecast" stroke="#60a5fa" dot={false} isAnimationActive={false} />
              {/* a dot on each actual: the first window over is a single point, which a line alone does not draw */}
              <Line dataKey="actual" name="actual" stroke="#4ade80" dot={{ r: 2.5, fill: '#4ade80', strokeWidth: 0 }} isAnimationActive={false} connectNulls={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <div className="panel">
          <h2>Current plan</h2>
          {latest ? (
            <>
              <p data-testid="current-plan">{planName(latest.bucketStart, latest.horizonMin)[0].toUpperCase() + planName(latest.bucketStart, latest.horizonMin).slice(1)}; forecast by {latest.modelVersion}; {latest.moves.length} reposition move{latest.moves.length === 1 ? '' : 's'}.</p>
              <table>
                <thead><tr><th>rider</th><th>from zone</th><th>to zone</th></tr></thead>
                <tbody>{latest.moves.slice(0, 12).map((m) => <tr key={m.riderId}><td>{m.riderId}</td><td>{m.fromZoneId}</td><td>{m.toZoneId}</td></tr>)}</tbody>
              </table>
              <p className="muted">
                Riders short of the rule (city-wide, per coming hour): {latest.callIns.map((c) => `${hhmm(c.hourStart)} +${c.riders}`).join(', ') || 'none'}.
                {latest.callIns.some((c) => c.riders > 0) && ' A shortfall is not a call-in: only the coming hour is asked for, at most every 30 min, and only by starting an already-booked rider early when the hours it gives up later are worth less. Call-ins actually sent are on the roster.call_ins queue (Queues page).'}
              </p>
            </>
          ) : <p className="muted">No plan yet.</p>}
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }} data-testid="calibration">
        <h2>Is the rule right? Riders needed vs on shift, and orders on time, per simulated hour</h2>
        <p className="muted" data-testid="calibration-rule">The rule is right if hours with at least as many riders on shift as it says are needed deliver 95 % or more of their orders within 40 minutes of the click, and hours below 0.8 × needed deliver fewer; <code>npm run rostering:staffing-check</code> checks this on whole simulated days at several fleet sizes and demand levels. Here the same check on this city's hours that rostering planned from their start: needed and on shift are means over the hour's plans (riders); the on-time share counts every order created in the hour (a cancelled order is a miss) and shows once the hour's orders have had their 40 minutes.</p>
        <p data-testid="calibration-summary">Hours with riders on shift ≥ needed: {shareText(summary.staffed)}. Hours below 0.8 × needed: {shareText(summary.short)}.</p>
        <ResponsiveContainer width="100%" height={240}>
          <ComposedChart data={calibration} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
            <CartesianGrid stroke="#2a3449" />
            <XAxis dataKey="label" tick={axis} label={{ value: 'hour (simulated time)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
            <YAxis yAxisId="riders" tick={axis} allowDecimals={false} label={{ value: 'riders', angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11, style: { textAnchor: 'middle' } }} />
            <YAxis yAxisId="share" orientation="right" domain={[0, 100]} allowDecimals={false} tick={axis} label={{ value: '% within 40 min', angle: 90, position: 'insideRight', fill: '#93a0b8', fontSize: 11, style: { textAnchor: 'middle' } }} />
            <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} />
            <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
            <Bar yAxisId="riders" dataKey="ridersNeeded" name="riders needed (city)" fill="#facc15" isAnimationActive={false} />
            <Bar yAxisId="riders" dataKey="ridersOnShift" name="riders on shift" fill="#a78bfa" isAnimationActive={false} />
            <Line yAxisId="share" dataKey="onTime" name="orders within 40 min (%)" stroke="#4ade80" isAnimationActive={false} connectNulls={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="panel" style={{ marginTop: 14 }} data-testid="day-plan">
        <h2>Day plan — when the riders' announced hours fall{data?.dayPlan ? ` (${simDay(data.dayPlan.day)})` : ''}</h2>
        {data?.dayPlan ? (
          <>
            <p className="muted">{data.dayPlan.shiftsBooked} shifts booked from the day-ahead forecast ({data.dayPlan.forecastSource}); riders keep their hours and days off, rostering chooses when. Riders who had started, or were about to, when the plan was made keep their own start and are not counted as booked.</p>
            <Bars data={dayHours} xKey="label" xLabel="hour (simulated time)" yLabel="riders (mean over the hour)" height={220} bars={[{ key: 'ridersNeeded', name: 'needed (day-ahead forecast)', fill: '#facc15' }, { key: 'ridersBooked', name: 'booked by rostering', fill: '#a78bfa' }]} />
          </>
        ) : <p className="muted">No day plan yet: riders announce their hours at 18:00 for the next day (at the start of a run for the rest of today), and a plan needs a day of history.</p>}
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Forecasting model: retrain and versions</h2>
        <p data-testid="active-model">Active model: <strong>{data?.activeModel ?? 'none yet (no plan published)'}</strong>{data?.activeModel?.startsWith('baseline:') ? ' — a baseline, because no trained model could be loaded' : ''}.</p>
        <div className="row">
          <button onClick={retrain} data-testid="retrain-button">Retrain (enqueue a job)</button>
          {note && <span className="muted" data-testid="retrain-note">{note}</span>}
        </div>
        <ul data-testid="retrain-status">
          {(data?.retrains ?? []).slice(0, 5).map((r) => (
            <li key={r.jobId} data-status={r.status}>
              Retrain {r.jobId.slice(0, 8)}: {STATUS_TEXT[r.status]}
              {r.status === 'finished' && r.version ? ` — new model ${r.version}${r.mae !== undefined ? `, held-out MAE ${fmt(r.mae, 2)} vs best baseline ${fmt(r.bestBaselineMae ?? null, 2)} orders per zone per 15 min` : ''}; plans now use ${r.activeModel}` : ''}
              {r.status === 'failed' ? ` — ${r.error ?? 'no reason given'}; plans keep ${r.activeModel}` : ''}
              {` (at ${hhmm(r.ts)} simulated)`}
            </li>
          ))}
        </ul>
        <div style={{ overflowX: 'auto' }}>
        <table data-testid="models-table">
          <thead><tr><th>version (named by its training time, wall clock)</th><th>trained (wall clock)</th><th>backend</th><th className="num">model MAE</th><th className="num">model RMSE</th><th style={{ whiteSpace: 'normal' }}>baselines MAE (all: orders per zone per 15 min, held-out day)</th></tr></thead>
          <tbody>
            {(data?.models ?? []).map((m) => (
              <tr key={m.version}>
                <td>{m.version}{m.version === data?.activeModel ? ' (active)' : ''}</td><td>{m.createdAt ? m.createdAt.replace('T', ' ').slice(0, 19) : '—'}</td><td>{m.backend ?? '—'}</td><td className="num">{metricCell(m.metrics, 'mae')}</td><td className="num">{metricCell(m.metrics, 'rmse')}</td>
                <td className="muted" style={{ whiteSpace: 'normal' }}>{m.baselines ? Object.entries(m.baselines).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'object' && v ? fmt((v as { mae?: number }).mae ?? null, 2) : fmt(v as number, 2)}${m.baselineNotes?.[k] ? ` (${m.baselineNotes[k]})` : ''}`).join(' · ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </div>
    </>
  );
}
