'use client';
import { useState } from 'react';
import { LagChart } from '../../components/LagChart';
import { MessageBrowser } from '../../components/MessageBrowser';
import { NotLive } from '../../components/Shell';
import { api, fmt, fmtTime } from '../../lib/api';
import { useBrokerLive, useLive } from '../../lib/live';

export default function LogPage() {
  const { log, frame } = useLive();
  const live = useBrokerLive('log');
  const [replayFrom, setReplayFrom] = useState('');
  const [replayTopic, setReplayTopic] = useState('order.events');
  const [message, setMessage] = useState<string | null>(null);
  const topics = log?.topics ?? [];

  const replay = async () => {
    try {
      const from = replayFrom ? Date.parse(replayFrom + 'Z') : (frame?.simTime ?? Date.now()) - 60 * 60_000;
      const r = await api<{ groupId: string }>('/api/log/replay', { method: 'POST', body: { topic: replayTopic, from } });
      setMessage(`started group ${r.groupId} from ${fmtTime(from)} — watch its lag fall below`);
    } catch (e) {
      setMessage(`replay failed: ${(e as Error).message}`);
    }
  };

  return (
    <>
      <h1>The log — append-only, many readers, replay</h1>
      <NotLive what="The event log" live={live} />
      <div className="grid cols-2e">
        <div className="panel">
          <h2>Topics and partitions</h2>
          <table data-testid="topics-table">
            <thead><tr><th>topic</th><th className="num">partitions</th><th className="num">first offset</th><th className="num">next offset</th><th className="num">messages</th></tr></thead>
            <tbody>
              {topics.map((t) => (
                <tr key={t.name}>
                  <td>{t.name}</td><td className="num">{t.partitions.length}</td>
                  <td className="num">{t.partitions.map((p) => p.low).join(' · ')}</td>
                  <td className="num">{t.partitions.map((p) => p.high).join(' · ')}</td>
                  <td className="num" data-testid={`topic-messages-${t.name}`}>{t.messages.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel">
          <h2>Consumer groups — committed offsets and lag</h2>
          <table data-testid="groups-table">
            <thead><tr><th>group</th><th>state</th><th className="num">members</th><th className="num">lag (messages)</th><th className="num">lag (seconds)</th><th>per partition (topic/partition: lag)</th></tr></thead>
            <tbody>
              {(log?.groups ?? []).filter((g) => !g.groupId.startsWith('dashboard-browser-')).map((g) => (
                <tr key={g.groupId} data-testid={`group-${g.groupId}`}>
                  <td>{g.groupId}</td><td>{g.state}</td><td className="num">{g.members}</td><td className="num">{g.lag.toLocaleString('en')}</td><td className="num">{fmt(g.lagSeconds)}</td>
                  <td style={{ whiteSpace: 'normal', fontSize: 11 }} className="muted">{g.partitions.map((p) => `${p.topic}/${p.partition}@${p.committed}: ${p.lag}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel">
          <h2>Lag over time — messages</h2>
          <LagChart log={log} metric="lag" />
        </div>
        <div className="panel">
          <h2>Lag over time — seconds behind the log end</h2>
          <LagChart log={log} metric="lagSeconds" />
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Replay from a time into a new consumer group</h2>
        <div className="row">
          <select aria-label="replay topic" value={replayTopic} onChange={(e) => setReplayTopic(e.target.value)}>
            {topics.map((t) => <option key={t.name}>{t.name}</option>)}
          </select>
          <input aria-label="replay from" type="datetime-local" step={1} value={replayFrom} onChange={(e) => setReplayFrom(e.target.value)} />
          <span className="muted">simulated time, UTC (empty = one simulated hour ago)</span>
          <button onClick={replay} data-testid="replay-button">Replay into a new group</button>
        </div>
        {message && <p data-testid="replay-message">{message}</p>}
        <table>
          <thead><tr><th>replay group</th><th>topic</th><th>from</th><th className="num">messages read</th><th>caught up</th></tr></thead>
          <tbody>
            {(log?.replays ?? []).map((r) => (
              <tr key={r.groupId} data-testid="replay-row"><td>{r.groupId}</td><td>{r.topic}</td><td>{fmtTime(r.from)}</td><td className="num">{r.consumed.toLocaleString('en')}</td><td>{r.caughtUp ? 'yes' : 'catching up…'}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Message browser</h2>
        <MessageBrowser topics={topics} />
      </div>
    </>
  );
}
