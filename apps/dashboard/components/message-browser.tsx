'use client';
import { useEffect, useMemo, useState } from 'react';
import { TIME_HINT, api, fmtTime, parseSimTime } from '../lib/api';
import type { LogRecord, TopicInfo } from '@riderflow/contracts';

/** a value as indented JSON when it is JSON, else as it came */
function pretty(value: string): { text: string; json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(value), null, 2), json: true };
  } catch {
    return { text: value, json: false };
  }
}

/** Tail a topic live, or seek a partition by offset or by (simulated) time; filter what is loaded. */
export function MessageBrowser({ topics }: { topics: TopicInfo[] }) {
  const [topic, setTopic] = useState('order.events');
  const [mode, setMode] = useState<'tail' | 'offset' | 'time'>('tail');
  const [partition, setPartition] = useState(0);
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [filter, setFilter] = useState('');
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [empty, setEmpty] = useState(false);

  // a new topic or mode starts from an empty window: never show the tail under a seek form
  useEffect(() => {
    setRecords([]);
    setEmpty(false);
    setError(null);
  }, [mode, topic]);

  useEffect(() => {
    if (mode !== 'tail') return;
    let alive = true;
    const load = () => api<LogRecord[]>(`/api/log/tail?topic=${encodeURIComponent(topic)}`).then((r) => alive && (setRecords(r.slice(0, 20)), setError(null))).catch((e: Error) => alive && setError(e.message));
    load();
    const t = setInterval(load, 1000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [mode, topic]);

  const seek = async () => {
    setError(null);
    setEmpty(false);
    // the same checks the gateway makes, answered before a round trip
    if (mode === 'offset' && !/^\d+$/.test(offset.trim())) return setError('Offset must be a whole number ≥ 0');
    const at = mode === 'time' ? parseSimTime(time) : null;
    if (mode === 'time' && at === null) return setError(`Time must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)`);
    setBusy(true);
    try {
      const q = mode === 'offset' ? `offset=${encodeURIComponent(offset.trim())}` : `time=${at}`;
      const r = await api<{ start: string; records: LogRecord[] }>(`/api/log/messages?topic=${encodeURIComponent(topic)}&partition=${partition}&${q}&limit=50`);
      setRecords(r.records);
      setEmpty(r.records.length === 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return records;
    return records.filter((r) => (r.key ?? '').toLowerCase().includes(f) || r.value.toLowerCase().includes(f) || Object.entries(r.headers ?? {}).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(f)));
  }, [records, filter]);

  const partitions = topics.find((t) => t.name === topic)?.partitions ?? [];
  return (
    <div data-testid="message-browser">
      <div className="row">
        <select aria-label="topic" value={topic} onChange={(e) => setTopic(e.target.value)}>
          {topics.map((t) => <option key={t.name}>{t.name}</option>)}
        </select>
        <select aria-label="mode" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          <option value="tail">tail live</option>
          <option value="offset">seek by offset</option>
          <option value="time">seek by time</option>
        </select>
        {mode !== 'tail' && (
          <>
            <select aria-label="partition" value={partition} onChange={(e) => setPartition(Number(e.target.value))}>
              {partitions.map((p) => <option key={p.partition} value={p.partition}>partition {p.partition}</option>)}
            </select>
            {mode === 'offset' ? (
              <input aria-label="offset" inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} size={10} />
            ) : (
              <input aria-label="time (simulated UTC, 24-hour)" placeholder="2025-03-03 18:40" value={time} onChange={(e) => setTime(e.target.value)} size={18} />
            )}
            {mode === 'time' && <span className="field-note">{TIME_HINT}</span>}
            <button onClick={seek} disabled={busy}>{busy ? 'reading…' : 'read'}</button>
          </>
        )}
        <input aria-label="filter by key or text" placeholder="filter by key or text" value={filter} onChange={(e) => setFilter(e.target.value)} size={22} />
        <span className="field-note" data-testid="filter-count">{filter ? `${shown.length} of ${records.length} shown` : `${records.length} loaded`}</span>
      </div>
      {error && <p className="error" role="alert" data-testid="browser-error">{error}</p>}
      {empty && mode !== 'tail' && !error && <p className="muted">No records at or after this position in partition {partition}.</p>}
      <div className="table-scroll tall" tabIndex={0} role="region" aria-label="records">
        <table>
          <thead><tr><th className="num">offset</th><th className="num">partition</th><th>key</th><th>record time (simulated UTC)</th><th>headers</th><th>value</th></tr></thead>
          <tbody>
            {shown.map((r) => {
              const v = pretty(r.value);
              const headers = Object.entries(r.headers ?? {});
              return (
                <tr key={`${r.partition}-${r.offset}`} data-testid="message-row">
                  <td className="num">{r.offset}</td>
                  <td className="num">{r.partition}</td>
                  <td data-testid="message-key">{r.key ?? <span className="muted">(none)</span>}</td>
                  <td>{fmtTime(Number(r.timestamp))}</td>
                  <td style={{ whiteSpace: 'normal', fontSize: 11 }}>{headers.length ? headers.map(([k, val]) => <div key={k}><span className="muted">{k}:</span> {val}</div>) : <span className="muted">—</span>}</td>
                  <td style={{ whiteSpace: 'normal', minWidth: 280 }}>
                    <details className="json">
                      <summary><span className="value-preview">{r.value.slice(0, 120)}</span></summary>
                      <pre data-testid="message-json">{v.text}</pre>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
