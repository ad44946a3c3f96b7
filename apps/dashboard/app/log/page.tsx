'use client';
import { useMemo, useState } from 'react';
import { LAG_COLOURS, LagChart } from '../../components/lag-chart';
import { topLaggingGroups } from '../../lib/lag-picks';
import { MessageBrowser } from '../../components/message-browser';
import { GroupsTable } from '../../components/groups-table';
import { TopicDetail } from '../../components/topic-detail';
import { NotLive } from '../../components/shell';
import { TIME_HINT, api, fmtTime, parseSimTime } from '../../lib/api';
import { useBrokerLive, useFrameGetter, useLogSnapshot } from '../../lib/live';

/** as many replays as the gateway runs at once (server/adapters/replay.ts): a start beyond it is refused */
const MAX_REPLAYS = 3;

export default function LogPage() {
  const log = useLogSnapshot();
  // the simulated now, read when a replay starts: this page does not re-render on every frame
  const latestFrame = useFrameGetter();
  const live = useBrokerLive('log');
  const [replayFrom, setReplayFrom] = useState('');
  const [replayTopic, setReplayTopic] = useState('order.events');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [topicOpen, setTopicOpen] = useState<string | null>(null);
  /** groups the user added to the lag charts; null = the default (most lag now) */
  const [picked, setPicked] = useState<string[] | null>(null);
  const topics = log?.topics ?? [];
  const groups = log?.groups ?? [];
  const charted = useMemo(() => (picked ?? topLaggingGroups(log)).slice(0, LAG_COLOURS.length), [picked, log]);

  const stopReplay = async (groupId: string) => {
    setMessage(null);
    try {
      const r = await api<{ stopped: string; groupDeleted: boolean; note?: string }>(`/api/log/replay/${encodeURIComponent(groupId)}`, { method: 'DELETE' });
      setMessage({ text: r.groupDeleted ? `stopped ${r.stopped} and deleted its group` : `${r.stopped}: ${r.note ?? 'stopped'}`, error: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  const replay = async () => {
    setMessage(null);
    const from = replayFrom.trim() ? parseSimTime(replayFrom) : (latestFrame()?.simTime ?? Date.now()) - 60 * 60_000;
    if (from === null) return setMessage({ text: 'Replay start must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)', error: true });
    try {
      const r = await api<{ groupId: string }>('/api/log/replay', { method: 'POST', body: { topic: replayTopic, from } });
      setMessage({ text: `started group ${r.groupId} from ${fmtTime(from)} UTC — watch its lag fall in the groups table`, error: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <>
      <h1>The log — append-only, many readers, replay</h1>
      <NotLive what="The event log" live={live} />
      <div className="console-grid">
        <div className="panel">
          <h2>Consumer groups — committed offsets and lag</h2>
          <GroupsTable groups={groups} />
        </div>
        <div className="panel">
          <h2>Topics</h2>
          <div className="table-scroll tall" tabIndex={0} role="region" aria-label="topics">
            <table data-testid="topics-table">
              <thead><tr><th>topic</th><th className="num">partitions</th><th className="num">messages</th><th><span className="sr-only">detail</span></th></tr></thead>
              <tbody>
                {topics.map((t) => (
                  <tr key={t.name}>
                    <td className="wrap-name">{t.name}</td>
                    <td className="num">{t.partitions.length}</td>
                    <td className="num" data-testid={`topic-messages-${t.name}`}>{t.messages.toLocaleString('en')}</td>
                    <td><button className="link" onClick={() => setTopicOpen(topicOpen === t.name ? null : t.name)} aria-expanded={topicOpen === t.name} data-testid={`topic-detail-${t.name}`}>{topicOpen === t.name ? 'hide' : 'details'}<span className="sr-only"> of {t.name}</span></button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {topicOpen && <TopicDetail name={topicOpen} onClose={() => setTopicOpen(null)} />}
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <div className="chips" data-testid="lag-picker">
          <span className="muted">{picked ? 'Charted:' : 'Charted (most lag now):'}</span>
          {charted.map((g, i) => (
            <span key={g} className="chip" style={{ borderColor: LAG_COLOURS[i % LAG_COLOURS.length] }}>
              {g}
              <button aria-label={`remove ${g} from the lag charts`} onClick={() => setPicked(charted.filter((x) => x !== g))}>×</button>
            </span>
          ))}
          <select aria-label="add a group to the lag charts" value="" onChange={(e) => e.target.value && setPicked([...charted.filter((x) => x !== e.target.value), e.target.value].slice(-LAG_COLOURS.length))}>
            <option value="">add a group…</option>
            {groups.filter((g) => !charted.includes(g.groupId)).map((g) => <option key={g.groupId} value={g.groupId}>{g.groupId}</option>)}
          </select>
          {picked && <button className="link" onClick={() => setPicked(null)}>back to most lag</button>}
        </div>
        <div className="grid cols-2e">
          <div>
            <h2>Lag over time — messages</h2>
            <LagChart log={log} metric="lag" groups={charted} />
          </div>
          <div>
            <h2>Lag over time — seconds behind the log end</h2>
            <LagChart log={log} metric="lagSeconds" groups={charted} />
            <p className="method" data-testid="lag-method">{log?.lagMethod}</p>
          </div>
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Replay from a time into a new consumer group</h2>
        <div className="row">
          <select aria-label="replay topic" value={replayTopic} onChange={(e) => setReplayTopic(e.target.value)}>
            {topics.map((t) => <option key={t.name}>{t.name}</option>)}
          </select>
          <input aria-label="replay from (simulated UTC, 24-hour)" placeholder="2025-03-03 18:40" value={replayFrom} onChange={(e) => setReplayFrom(e.target.value)} size={18} />
          <span className="field-note">{TIME_HINT}; empty = one simulated hour ago</span>
          <button onClick={replay} data-testid="replay-button">Replay into a new group</button>
        </div>
        <p className="field-note" data-testid="replay-rules">A replay keeps following its topic after it has caught up, until you stop it here (its group is then deleted). At most {MAX_REPLAYS} run at once: stop one to start another.</p>
        {message && <p data-testid="replay-message" className={message.error ? 'error' : ''} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
        <div className="table-scroll" tabIndex={0} role="region" aria-label="replays">
          <table>
            <thead><tr><th>replay group</th><th>topic</th><th>from (simulated UTC)</th><th className="num">messages read</th><th>caught up</th><th><span className="sr-only">stop</span></th></tr></thead>
            <tbody>
              {(log?.replays ?? []).map((r) => (
                <tr key={r.groupId} data-testid="replay-row"><td>{r.groupId}</td><td>{r.topic}</td><td>{fmtTime(r.from)}</td><td className="num">{r.consumed.toLocaleString('en')}</td><td data-testid="replay-caught-up">{r.caughtUp ? 'yes — still following' : `catching up… (${r.partitionsAtEnd} of ${r.partitions} partitions at their end)`}</td><td><button className="secondary" onClick={() => void stopReplay(r.groupId)} data-testid={`stop-${r.groupId}`} aria-label={`stop replay ${r.groupId} and delete its group`}>Stop</button></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Message browser</h2>
        <MessageBrowser topics={topics} />
      </div>
    </>
  );
}
