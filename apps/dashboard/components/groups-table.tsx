'use client';
import { Fragment, useState } from 'react';
import { TIME_HINT, api, fmt, parseSimTime } from '../lib/api';
import type { GroupInfo } from '@riderflow/contracts';

/** one cell per partition, as tall as its share of the group's largest partition lag */
function PartitionBar({ g }: { g: GroupInfo }) {
  const max = Math.max(1, ...g.partitions.map((p) => p.lag));
  const lagging = g.partitions.filter((p) => p.lag > 0).length;
  return (
    <span className="pbar" role="img" aria-label={`${g.partitions.length} partitions, ${lagging} behind`} title={g.partitions.map((p) => `${p.topic}/${p.partition}: ${p.lag}`).join('\n')}>
      {g.partitions.slice(0, 48).map((p) => <i key={`${p.topic}/${p.partition}`} className={p.lag > 0 ? 'lagging' : ''} style={{ height: `${Math.max(2, (p.lag / max) * 18)}px` }} />)}
    </span>
  );
}

/** a job's group and a service's per-start follower are both cleaned up by the platform, for different reasons; a foreign group is nobody's here. A service's own group has no badge. */
function KindBadge({ kind }: { kind: GroupInfo['kind'] }) {
  if (kind === 'job') return <span className="badge job" data-testid="badge-job" title="made by the platform for a finite job: deleted when the job ends">job</span>;
  if (kind === 'follower') return <span className="badge follower" data-testid="badge-follower" title="a service's own reader, running as long as the service: a new group at every start, deleted when the service stops (or at the next dashboard start if it crashed)">follower</span>;
  if (kind === 'foreign') return <span className="badge foreign" data-testid="badge-foreign" title="not one of Riderflow's groups: made by another client (kcat, a script, a Kafka tool); the platform never deletes it">foreign</span>;
  return null;
}

function GroupActions({ g, onDone }: { g: GroupInfo; onDone: (note: string) => void }) {
  const [to, setTo] = useState<'earliest' | 'latest' | 'time'>('earliest');
  const [time, setTime] = useState('');
  const [error, setError] = useState<string | null>(null);
  const stopped = g.members === 0;
  const run = async (what: () => Promise<string>) => {
    setError(null);
    try {
      onDone(await what());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const reset = () =>
    run(async () => {
      const at = to === 'time' ? parseSimTime(time) : null;
      if (to === 'time' && at === null) throw new Error('The time to reset to must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)');
      const r = await api<{ topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }>(`/api/log/groups/${encodeURIComponent(g.groupId)}/reset`, { method: 'POST', body: to === 'time' ? { to, time: at } : { to } });
      return `${g.groupId}: offsets set to ${to === 'time' ? time + ' UTC' : to} on ${r.topics.map((t) => `${t.topic} (${t.partitions.map((p) => `${p.partition}@${p.offset}`).join(' ')})`).join(', ')}`;
    });
  const del = () =>
    run(async () => {
      if (!window.confirm(`Delete consumer group ${g.groupId} and its committed offsets?`)) return 'delete cancelled';
      await api(`/api/log/groups/${encodeURIComponent(g.groupId)}`, { method: 'DELETE' });
      return `${g.groupId} deleted`;
    });
  if (!stopped) return <p className="field-note">Running ({g.members} member{g.members === 1 ? '' : 's'}): stop its consumers to delete it or reset its offsets.</p>;
  return (
    <div className="row" data-testid={`group-actions-${g.groupId}`}>
      <label className="field-note" htmlFor={`reset-${g.groupId}`}>reset offsets to</label>
      <select id={`reset-${g.groupId}`} value={to} onChange={(e) => setTo(e.target.value as typeof to)}>
        <option value="earliest">earliest</option>
        <option value="latest">latest</option>
        <option value="time">a simulated time</option>
      </select>
      {to === 'time' && <input aria-label={`reset ${g.groupId} to time (simulated UTC, 24-hour)`} placeholder="2025-03-03 18:40" value={time} onChange={(e) => setTime(e.target.value)} size={18} title={TIME_HINT} />}
      <button className="secondary" onClick={reset} data-testid={`reset-${g.groupId}`}>reset</button>
      <button className="danger" onClick={del} data-testid={`delete-${g.groupId}`}>delete group</button>
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  );
}

const NO_COMMIT = 'This group has committed no offset: lag is measured from committed offsets, so there is none to show. (A follower never commits; another reader may not have committed yet.)';

/** One row per consumer group; per-partition lag and the admin actions open under it on demand. */
export function GroupsTable({ groups }: { groups: GroupInfo[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  return (
    <>
      {note && <p className="field-note" data-testid="group-note" role="status">{note}</p>}
      <div className="table-scroll tall" tabIndex={0} role="region" aria-label="consumer groups">
        <table data-testid="groups-table">
          <thead><tr><th>group</th><th>state</th><th className="num">members</th><th className="num">lag (msgs)</th><th className="num">lag (s)</th><th>partitions</th></tr></thead>
          <tbody>
            {groups.map((g) => (
              <Fragment key={g.groupId}>
                <tr data-testid={`group-${g.groupId}`}>
                  <td className="group-cell" title={g.groupId}>
                    <button className="link" aria-expanded={open === g.groupId} aria-label={`${open === g.groupId ? 'hide' : 'show'} partitions and actions of ${g.groupId}`} onClick={() => setOpen(open === g.groupId ? null : g.groupId)}>{open === g.groupId ? '▾' : '▸'}</button>
                    <span className="group-name">{g.groupId}</span>
                    <KindBadge kind={g.kind} />
                  </td>
                  <td className={`state-${g.state}`}>{g.state}</td>
                  <td className="num">{g.members}</td>
                  {g.partitions.length === 0 ? (
                    // lag is measured from committed offsets: with none there is no figure, and 0 would say "caught up"
                    <td className="num muted" colSpan={2} data-testid={`lag-${g.groupId}`} title={NO_COMMIT}>no offset committed</td>
                  ) : (
                    <>
                      <td className="num" data-testid={`lag-${g.groupId}`}>{g.lag.toLocaleString('en')}</td>
                      <td className="num">{fmt(g.lagSeconds)}</td>
                    </>
                  )}
                  <td><PartitionBar g={g} /></td>
                </tr>
                {open === g.groupId && (
                  <tr className="detail-row">
                    <td colSpan={6}>
                      <GroupActions g={g} onDone={setNote} />
                      {g.partitions.length === 0 ? (
                        <p className="field-note" data-testid={`no-commit-${g.groupId}`}>{NO_COMMIT}</p>
                      ) : (
                        <table>
                          <thead><tr><th>topic / partition</th><th className="num">committed</th><th className="num">log end</th><th className="num">lag (msgs)</th><th className="num">lag (s)</th></tr></thead>
                          <tbody>
                            {g.partitions.map((p) => (
                              <tr key={`${p.topic}/${p.partition}`}><td>{p.topic}/{p.partition}</td><td className="num">{p.committed}</td><td className="num">{p.high}</td><td className="num">{p.lag.toLocaleString('en')}</td><td className="num">{fmt(p.lagSeconds)}</td></tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
