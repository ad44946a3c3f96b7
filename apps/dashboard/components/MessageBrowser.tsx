'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { LogRecord, TopicInfo } from '../lib/types';

/** Tail a topic live, or seek a partition by offset or by (simulated) time. */
export function MessageBrowser({ topics }: { topics: TopicInfo[] }) {
  const [topic, setTopic] = useState('order.events');
  const [mode, setMode] = useState<'tail' | 'offset' | 'time'>('tail');
  const [partition, setPartition] = useState(0);
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [empty, setEmpty] = useState(false);

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
    setBusy(true);
    setError(null);
    try {
      const q = mode === 'offset' ? `offset=${encodeURIComponent(offset)}` : `time=${Date.parse(time + 'Z')}`;
      const r = await api<{ start: string; records: LogRecord[] }>(`/api/log/messages?topic=${encodeURIComponent(topic)}&partition=${partition}&${q}&limit=20`);
      setRecords(r.records);
      setEmpty(r.records.length === 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

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
            {mode === 'offset' ? <input aria-label="offset" value={offset} onChange={(e) => setOffset(e.target.value)} size={10} /> : <input aria-label="time" type="datetime-local" step={1} value={time} onChange={(e) => setTime(e.target.value)} />}
            <button onClick={seek} disabled={busy}>{busy ? 'reading…' : 'read'}</button>
          </>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {empty && mode !== 'tail' && !error && <p className="muted">No records at or after this position in partition {partition}.</p>}
      <table>
        <thead><tr><th>partition</th><th className="num">offset</th><th>key</th><th>record time (simulated)</th><th>value</th></tr></thead>
        <tbody>
          {records.map((r) => (
            <tr key={`${r.partition}-${r.offset}`} data-testid="message-row">
              <td>{r.partition}</td><td className="num">{r.offset}</td><td>{r.key}</td><td>{new Date(Number(r.timestamp)).toISOString().slice(0, 19).replace('T', ' ')}</td>
              <td style={{ whiteSpace: 'normal' }}><pre className="msg">{r.value}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
