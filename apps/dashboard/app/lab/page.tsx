'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LabKpiReport, LabKpis, LabRunRecord, LabRunState } from '@riderflow/contracts';
import { api, TIME_HINT } from '../../lib/api';
import { fmtSimTime } from '../../lib/sim-time';
import { useLabPush, useLink } from '../../lib/live';
import { leverNote } from '../../lib/lab-same-arms';
import { LAB_KPI_ROWS, onTimeOfEnded, openOrdersNote, type LabKpiRow } from '../../lib/lab-kpi-rows';

// The policy lab: replay a recorded window of the log with another dispatch policy (the lab CLI,
// started by the server as a child process) and compare it with what happened.

type RunState = LabRunState;
interface LabInfo { policies: { name: string; about: string }[]; rostering: { name: string; short: string; about: string }[]; current: RunState | null; defaults: { fromMs: number; toMs: number } | null }

/** The rostering policy a run used, in words; runs recorded before it was kept say so. */
function rosteringOf(r: LabRunRecord): string {
  if (!r.rostering) return 'not recorded (older run)';
  return r.rostering.policy === 'off' ? 'off' : `${r.rostering.policy} (${r.rostering.note})`;
}

/** The same in a few words, for the past-runs list: the policy and which forecast (a model's version, or the fallback). */
function rosteringShort(r: LabRunRecord): string {
  if (!r.rostering) return 'not recorded';
  const { policy, note } = r.rostering;
  if (policy !== 'forecast') return policy;
  const model = /^forecast: model (\S+)/.exec(note);
  return model ? `forecast, model ${model[1]}` : 'forecast, best baseline (no model)';
}

/** What rostering did in each seed's replay: rounds, moves, call-ins, day bookings and why some could not act. */
function RosteringDone({ record }: { record: LabRunRecord }) {
  const ros = record.rostering;
  if (!ros || ros.policy === 'off' || ros.perSeed.length === 0) return null;
  return (
    <div data-testid="lab-rostering" style={{ marginTop: 8 }}>
      <h3>What rostering did</h3>
      <ul className="muted" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
        {ros.perSeed.map((s, i) => (
          <li key={i}>
            seed “{record.seeds[i]}”: {s.plans} plans, {s.moves} riders moved, {s.ridersCalledIn} of {s.callInsAsked} asked for called in; day bookings {s.bookingsSent} sent, {s.bookingsTaken} taken ({s.bookingsMoved} moved a recorded shift start){s.bookingsRefused > 0 ? `, ${s.bookingsRefused} could not act: ${s.refusals.map((r) => `${r.count} × ${r.reason}`).join('; ')}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The line under the policy box: what the policy changes, once the lab has said (never "Policy x: ."). */
function policyAbout(policy: string, info: LabInfo | null): string {
  const about = info?.policies.find((p) => p.name === policy)?.about;
  return about ? `Policy ${policy}: ${about}.` : info ? `Policy ${policy}.` : `Policy ${policy} (loading what it changes…).`;
}

const axis = { fill: '#93a0b8', fontSize: 11 };
const REC = '#60a5fa';
const LAB = '#facc15';
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The lab column over its seeds: the mean, and min–max when the seeds differ. */
function spread(values: (number | null)[]): { mean: number; min: number; max: number } | null {
  const vs = values.filter((v): v is number => v !== null);
  if (vs.length === 0) return null;
  return { mean: vs.reduce((s, v) => s + v, 0) / vs.length, min: Math.min(...vs), max: Math.max(...vs) };
}

function diffText(rec: number | null, lab: number | null, k: LabKpiRow): string {
  if (rec === null || lab === null) return '—';
  const d = lab - rec;
  const sign = d >= 0 ? '+' : '−';
  const abs = k.points ? `${sign}${(100 * Math.abs(d)).toFixed(1)} pt` : `${sign}${k.format(Math.abs(d))}`;
  return rec !== 0 && !k.points ? `${abs} (${sign}${((100 * Math.abs(d)) / Math.abs(rec)).toFixed(1)} %)` : abs;
}

function KpiTable({ record, pick, caption }: { record: LabRunRecord; pick: (r: LabKpiReport) => LabKpis | undefined; caption: string }) {
  const rec = pick(record.recorded);
  return (
    <div className="table-scroll">
      <table data-testid="lab-table">
        <caption className="muted" style={{ textAlign: 'left', paddingBottom: 4 }}>{caption}</caption>
        <thead><tr><th scope="col">KPI</th><th scope="col">recorded</th><th scope="col">lab: {record.policy}{record.lab.length > 1 ? ` (mean [min–max] of ${record.lab.length} seeds)` : ''}</th><th scope="col">lab − recorded</th></tr></thead>
        <tbody>
          {LAB_KPI_ROWS.map((k) => {
            const r = rec ? k.value(rec) : null;
            const s = spread(record.lab.map((l) => { const x = pick(l); return x ? k.value(x) : null; }));
            const labText = s === null ? '—' : s.max > s.min ? `${k.format(s.mean)} [${k.format(s.min)}–${k.format(s.max)}]` : k.format(s.mean);
            return (
              <tr key={k.id} data-kpi={k.id}>
                <th scope="row" style={{ fontWeight: 400, textAlign: 'left' }}>{k.label}</th>
                <td>{r === null ? '—' : k.format(r)}</td>
                <td>{labText}</td>
                <td>{diffText(r, s?.mean ?? null, k)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function HourlyChart({ record, kpi, yLabel, scale = 1 }: { record: LabRunRecord; kpi: (k: LabKpis) => number | null; yLabel: string; scale?: number }) {
  const data = record.recorded.hourly.map((h, i) => {
    const s = spread(record.lab.map((l) => { const x = l.hourly[i]; return x ? kpi(x) : null; }));
    const v = kpi(h);
    return { label: hhmm(record.fromMs + i * 3_600_000), recorded: v === null ? null : v * scale, lab: s === null ? null : s.mean * scale };
  });
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 18, left: 8 }}>
        <CartesianGrid stroke="#2a3449" />
        <XAxis dataKey="label" tick={axis} label={{ value: 'hour starting (simulated time)', position: 'insideBottom', offset: -8, fill: '#93a0b8', fontSize: 11 }} />
        <YAxis tick={axis} label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: '#93a0b8', fontSize: 11, style: { textAnchor: 'middle' } }} />
        <Tooltip contentStyle={{ background: '#171e2e', border: '1px solid #2a3449' }} formatter={(v) => Number(v).toFixed(2)} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
        <Line dataKey="recorded" name="recorded" stroke={REC} isAnimationActive={false} connectNulls={false} />
        <Line dataKey="lab" name={`lab: ${record.policy}`} stroke={LAB} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

function Comparison({ record, runs }: { record: LabRunRecord; runs: readonly LabRunRecord[] }) {
  const [hour, setHour] = useState<number | 'total'>('total');
  const lever = leverNote(record, runs);
  const openNote = openOrdersNote(record.recorded.total);
  useEffect(() => setHour('total'), [record.runId]);
  const hours = record.recorded.hourly.map((_, i) => i);
  return (
    <div className="panel" style={{ marginTop: 14 }} data-testid="lab-result" data-run={record.runId}>
      <h2>Run {record.runId}: {record.policy}{record.sets.length ? ` (${record.sets.join(' ')})` : ''}, rostering {record.rostering?.policy ?? 'not recorded'}, vs recorded, {fmtSimTime(record.fromMs, false)} – {hhmm(record.toMs)}</h2>
      <p data-testid="lab-result-rostering">Rostering: {rosteringOf(record)}.</p>
      <p className="muted">Orders placed in the window; seed{record.seeds.length > 1 ? 's' : ''} “{record.seeds.join('”, “')}”; the run took {(record.wallMs / 1000).toFixed(1)} s. Differences are lab minus recorded. Both sides stop at the window's end, so the last hour's orders have had less time to arrive (on both sides alike).</p>
      {openNote && <p className="callout" role="note" data-testid="lab-open-orders">{openNote}</p>}
      {lever && <p className="muted" data-testid="lab-lever">{lever.counts[0]!.toUpperCase() + lever.counts.slice(1)}.</p>}
      {lever?.same && <p className="callout" role="note" data-testid="lab-same-arms">{lever.same}</p>}
      <div className="grid cols-2e">
        <div data-testid="lab-chart-c2d">
          <h3>Click-to-door mean per hour</h3>
          <HourlyChart record={record} kpi={(k) => k.clickToDoorMeanMin} yLabel="minutes" />
        </div>
        <div data-testid="lab-chart-ontime">
          <h3>On time (≤ 40 min, % of orders ended) per hour</h3>
          <HourlyChart record={record} kpi={onTimeOfEnded} yLabel="% of orders ended" scale={100} />
        </div>
      </div>
      <RosteringDone record={record} />
      <div className="row" style={{ marginTop: 10 }}>
        <label htmlFor="lab-hour">Table for</label>
        <select id="lab-hour" value={String(hour)} onChange={(e) => setHour(e.target.value === 'total' ? 'total' : Number(e.target.value))}>
          <option value="total">the whole window</option>
          {hours.map((h) => <option key={h} value={h}>hour {hhmm(record.fromMs + h * 3_600_000)}</option>)}
        </select>
      </div>
      <KpiTable
        record={record}
        pick={(r) => (hour === 'total' ? r.total : r.hourly[hour])}
        caption={hour === 'total' ? 'Whole window' : `Hour starting ${hhmm(record.fromMs + hour * 3_600_000)} (simulated)`}
      />
    </div>
  );
}

export default function LabPage() {
  const [info, setInfo] = useState<LabInfo | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [policy, setPolicy] = useState('no-bundling');
  const [rostering, setRostering] = useState('off');
  const [sets, setSets] = useState('');
  const [seeds, setSeeds] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const [current, setCurrent] = useState<RunState | null>(null);
  const [runs, setRuns] = useState<LabRunRecord[]>([]);
  const [shown, setShown] = useState<string | null>(null);

  const loadRuns = useCallback(() => api<{ runs: LabRunRecord[] }>('/api/lab/runs').then((d) => setRuns(d.runs)).catch(() => {}), []);

  // Follow a run in progress: the server pushes every change on the dashboard's socket. When it
  // ends, list it (it is on lab.runs by then) and show it. Only while the socket is down does the
  // page ask instead (every 2 s), so a dropped connection does not freeze the progress bar.
  const pushed = useLabPush();
  const { connected } = useLink();
  const running = current?.state === 'running';
  const latest = useRef<RunState | null>(null);
  const follow = useCallback((next: RunState | null) => {
    const prev = latest.current;
    // The POST's answer (running) may arrive after the push that the run ended: keep the end.
    if (next && prev && next.runId === prev.runId && prev.state !== 'running' && next.state === 'running') return;
    latest.current = next;
    setCurrent(next);
    if (next && next.state !== 'running' && (prev?.state === 'running' || prev?.runId !== next.runId)) {
      if (next.record) setShown(next.record.runId);
      void loadRuns();
    }
  }, [loadRuns]);
  useEffect(() => {
    api<LabInfo>('/api/lab').then((d) => {
      setInfo(d);
      follow(d.current);
      if (d.defaults) {
        setFrom(fmtSimTime(d.defaults.fromMs, false));
        setTo(fmtSimTime(d.defaults.toMs, false));
      }
    }).catch((e) => setError(`The lab is unavailable: ${(e as Error).message}`));
    void loadRuns();
  }, [loadRuns, follow]);
  useEffect(() => { if (pushed) follow(pushed); }, [pushed, follow]);
  useEffect(() => {
    if (!running || connected) return;
    const t = setInterval(() => {
      api<{ current: RunState | null }>('/api/lab/current').then((d) => follow(d.current)).catch(() => {});
    }, 2_000);
    return () => clearInterval(t);
  }, [running, connected, follow]);

  const start = async () => {
    setError(null);
    try {
      const r = await api<RunState>('/api/lab/runs', { method: 'POST', body: { from, to, policy, rostering, seeds, sets: sets.split(/[\s,]+/).filter(Boolean) } });
      follow(r);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const timeHolder = info ? 'YYYY-MM-DD hh:mm' : 'loading…';
  const record = runs.find((r) => r.runId === shown) ?? (current?.record && current.record.runId === shown ? current.record : null) ?? runs[0] ?? null;
  return (
    <>
      <h1>Policy lab — replay a recorded window with another policy</h1>
      <p className="muted">The lab reads the orders, shifts, pings and weather the log recorded in a window, replays them with the same simulator and dispatch core as the live platform under the policy you pick, and compares the outcome with what happened. It writes only its own lab.&lt;run&gt;.* topics and one record on lab.runs; live topics, queues and tables are never touched. Times are simulated UTC.</p>
      <div className="panel" data-testid="lab-form">
        <h2>New lab run</h2>
        <form className="row" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          {/* Each label is held with its control (.field): at 1280 "Parameters" ended one row with its box
              on the next, at 1440 "Seeds" did. */}
          <span className="field">
            <label htmlFor="lab-from">Window start (UTC)</label>
            {/* the hint is in the label: as a placeholder it was cut off in a 17-character box. The
                placeholder is no example time: a fixed one lay after the simulated clock while /api/lab
                loaded; the boxes are filled with the recorded window as soon as it is known. */}
            <input id="lab-from" value={from} onChange={(e) => setFrom(e.target.value)} placeholder={timeHolder} title={TIME_HINT} size={17} />
          </span>
          <span className="field">
            <label htmlFor="lab-to">end</label>
            <input id="lab-to" value={to} onChange={(e) => setTo(e.target.value)} placeholder={timeHolder} title={TIME_HINT} size={17} />
          </span>
          <span className="field">
            <label htmlFor="lab-policy">Policy</label>
            <select id="lab-policy" value={policy} onChange={(e) => setPolicy(e.target.value)} aria-describedby="lab-policy-about">
              {/* Until the lab answers, the one option is the one selected, so the box and the line under it agree. */}
              {(info?.policies ?? [{ name: policy, about: '' }]).map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
            </select>
          </span>
          <span className="field">
            <label htmlFor="lab-rostering">Rostering</label>
            <select id="lab-rostering" value={rostering} onChange={(e) => setRostering(e.target.value)} aria-describedby="lab-rostering-about">
              {(info?.rostering ?? [{ name: rostering, short: rostering === 'off' ? 'recorded shifts' : '…', about: rostering }]).map((r) => <option key={r.name} value={r.name}>{r.name} — {r.short}</option>)}
            </select>
          </span>
          <span className="field">
            <label htmlFor="lab-sets">Parameters</label>
            {/* "key=value, e.g. …" was cut off in this box at every width: the form of a parameter is in the title */}
            <input id="lab-sets" value={sets} onChange={(e) => setSets(e.target.value)} placeholder="e.g. reoptimizeEveryMin=2" size={26} title="dispatch parameters as key=value (services/dispatch/src/core/config.ts), space-separated" />
          </span>
          <span className="field">
            <label htmlFor="lab-seeds">Seeds</label>
            <input id="lab-seeds" type="number" min={1} max={5} value={seeds} onChange={(e) => setSeeds(e.target.value)} style={{ width: 56 }} />
          </span>
          <button type="submit" disabled={running || !info} title={info ? undefined : 'waiting for the lab to answer'}>Start lab run</button>
        </form>
        <p className="muted" id="lab-policy-about" data-testid="lab-policy-about">{policyAbout(policy, info)}</p>
        <p className="muted" id="lab-rostering-about" data-testid="lab-rostering-about">Rostering {info?.rostering.find((r) => r.name === rostering)?.about ?? rostering}.</p>
        {info && !info.defaults && <p className="muted">The log holds no recorded orders yet: start the platform and let it run first.</p>}
        {error && <p className="error" role="alert" data-testid="lab-error">{error}</p>}
        {current && (
          <div data-testid="lab-progress" data-state={current.state}>
            <div className="row">
              <progress value={current.done} max={1} aria-label="lab run progress" style={{ width: 260, accentColor: 'var(--accent)' }} />
              <span>{current.state === 'running' ? `${(100 * current.done).toFixed(0)} % — ${current.text}` : current.state === 'done' ? `run ${current.runId} finished` : `run failed: ${current.error}`}</span>
            </div>
          </div>
        )}
      </div>
      {record ? <Comparison record={record} runs={runs} /> : <p className="muted" style={{ marginTop: 14 }}>No lab run yet.</p>}
      <div className="panel" style={{ marginTop: 14 }} data-testid="lab-runs">
        <h2>Past runs (from the lab.runs topic)</h2>
        {runs.length === 0 ? <p className="muted">None yet.</p> : (
          <div className="table-scroll">
            <table>
              <thead><tr><th scope="col">run</th><th scope="col">window (simulated)</th><th scope="col">policy</th><th scope="col">rostering</th><th scope="col">seeds</th><th scope="col">click-to-door mean, recorded → lab (min)</th><th scope="col">cancelled, recorded → lab</th><th scope="col"><span className="sr-only">show</span></th></tr></thead>
              <tbody>
                {runs.map((r) => {
                  const c2d = spread(r.lab.map((l) => l.total.clickToDoorMeanMin));
                  const canc = spread(r.lab.map((l) => l.total.cancelled));
                  return (
                    <tr key={r.runId} data-testid="lab-run-row">
                      <td>{r.runId}</td>
                      <td>{fmtSimTime(r.fromMs, false)} – {hhmm(r.toMs)}</td>
                      <td>{r.policy}{r.sets.length ? ` ${r.sets.join(' ')}` : ''}</td>
                      <td title={rosteringOf(r)}>{rosteringShort(r)}</td>
                      <td>{r.seeds.length}</td>
                      <td>{r.recorded.total.clickToDoorMeanMin?.toFixed(2) ?? '—'} → {c2d?.mean.toFixed(2) ?? '—'}</td>
                      <td>{r.recorded.total.cancelled} → {canc?.mean.toFixed(0) ?? '—'}</td>
                      <td><button className="link" onClick={() => setShown(r.runId)} aria-label={`${record?.runId === r.runId ? 'shown' : 'show'} run ${r.runId}`}>{record?.runId === r.runId ? 'shown' : 'show'}</button></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
