'use client';
import { useCallback, useEffect, useState } from 'react';
import { NotLive } from '../../components/shell';
import { RatesChart } from '../../components/rates-chart';
import { BindingsTable, TopologyGraph } from '../../components/topology-graph';
import { QueuePeek } from '../../components/queue-peek';
import { api, fmt } from '../../lib/api';
import { useBrokerLive, useLink, useQueuesSnapshot } from '../../lib/live';
import type { BrokerStatus, DeadLetterInfo } from '@riderflow/contracts';

// deadLetter: what the server read with the dead-letter contract (@riderflow/contracts readDeadLetter)
// redriven: the x-redriven header, times an operator put it back already (each time it died again)
interface DeadMessage { payload: string; routing_key: string; exchange: string; properties: { headers?: Record<string, unknown> }; deadLetter?: DeadLetterInfo; redriven?: number }

function deathOf(m: DeadMessage): string {
  const d = m.deadLetter;
  if (!d) return 'unknown';
  if (!d.known) return `${d.reason ?? 'no reason given'} (origin unknown: ${d.why})`;
  const from = d.origin.queue && !d.reason.includes(d.origin.queue) ? ` (from ${d.origin.queue})` : '';
  return `${d.reason}${from}${d.attempts ? `, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}`;
}
const fromExchange = (m: DeadMessage) => (m.deadLetter?.known ? m.deadLetter.origin.exchange || '(default)' : '?');
const fromKey = (m: DeadMessage) => (m.deadLetter?.known ? m.deadLetter.origin.routingKey : m.routing_key);
const redrivenText = (n = 0) => (n === 0 ? 'never' : n === 1 ? 'once' : `${n} times`);

/**
 * What the page waits for while it has no queue snapshot (the server sends its latest one as the
 * socket connects, so this shows only before the dashboard has ever read the broker, or while it
 * cannot): the socket, the broker's first answer, or the broker's error.
 */
function waitingText(connected: boolean, status: BrokerStatus | undefined): string {
  if (!connected) return 'Connecting to the dashboard server…';
  if (status?.error) return `No queue figures yet: the dashboard cannot read the task-queue broker's management API (${status.error}). It asks again every second.`;
  return "Waiting for the dashboard's first reading of the task-queue broker's management API (it asks every second)…";
}

export default function QueuesPage() {
  const queues = useQueuesSnapshot();
  const { connected, status } = useLink();
  const waiting = waitingText(connected, status.find((s) => s.name === 'queues'));
  const live = useBrokerLive('queues');
  const [dead, setDead] = useState<DeadMessage[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [peekQueue, setPeekQueue] = useState('tasks.dead');

  const peek = useCallback(() => {
    api<DeadMessage[]>('/api/queues/dead?count=20').then(setDead).catch((e: Error) => setNote(`peek failed: ${e.message}`));
  }, []);
  useEffect(peek, [peek]);

  const act = async (what: string, path: string, body: unknown = {}) => {
    try {
      const r = await api<Record<string, unknown>>(path, { method: 'POST', body });
      // A redrive answers in words (summary); other actions with their result.
      setNote(typeof r.summary === 'string' ? r.summary : `${what}: ${JSON.stringify(r)}`);
      peek();
    } catch (e) {
      setNote(`${what} failed: ${(e as Error).message}`);
    }
  };

  return (
    <>
      <h1>The queues — route a task to one mailbox, delete it once handled</h1>
      <NotLive what="The task-queue broker" live={live} />
      <div className="console-grid">
        <div className="panel">
          <h2>Exchanges → queues (live ready / unacked; routing keys listed in each queue)</h2>
          <TopologyGraph snapshot={queues} waiting={waiting} />
        </div>
        <div className="panel">
          <h2>Publish, deliver and ack rates — all queues, last two minutes</h2>
          <RatesChart snapshot={queues} />
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Queues</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="queues">
          <table data-testid="queues-table">
            <thead><tr><th>queue</th><th className="num">ready</th><th className="num">unacked</th><th className="num">consumers</th><th className="num">publish /s</th><th className="num">deliver /s</th><th className="num">ack /s</th><th>dead letters to</th><th><span className="sr-only">actions</span></th></tr></thead>
            <tbody>
              {(queues?.queues ?? []).map((q) => (
                <tr key={q.name} data-testid={`queue-${q.name}`}>
                  <td>{q.name}</td><td className="num" data-testid={`ready-${q.name}`}>{q.ready}</td><td className="num">{q.unacked}</td><td className="num">{q.consumers}</td>
                  <td className="num">{fmt(q.publishRate)}</td><td className="num">{fmt(q.deliverRate)}</td><td className="num">{fmt(q.ackRate)}</td><td>{q.deadLetterExchange ?? '—'}</td>
                  <td>
                    {q.exclusive ? (
                      // the broker refuses every other connection an exclusive queue: no button that can only fail
                      <span className="muted" data-testid={`exclusive-${q.name}`} title="Only the connection that declared it may read or purge it; it goes when that connection closes.">exclusive</span>
                    ) : (
                      <>
                        <button className="link" onClick={() => setPeekQueue(q.name)} data-testid={`peek-${q.name}`}>peek<span className="sr-only"> {q.name}</span></button>
                        <button className="secondary" onClick={() => confirm(`Purge every ready message of ${q.name}?`) && act(`purge ${q.name}`, `/api/queues/${encodeURIComponent(q.name)}/purge`)}>purge<span className="sr-only"> {q.name}</span></button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!queues && <p className="muted">{waiting}</p>}
        </div>
      </div>
      <div className="console-grid" style={{ marginTop: 14 }}>
        <div className="panel">
          <h2>Peek a queue — the first 20 messages, none consumed</h2>
          <QueuePeek queue={peekQueue} queues={(queues?.queues ?? []).filter((q) => !q.exclusive).map((q) => q.name)} onQueue={setPeekQueue} />
        </div>
        <div className="panel">
          <h2>Bindings</h2>
          <BindingsTable snapshot={queues} />
        </div>
      </div>
      <div className="panel" style={{ marginTop: 14 }}>
        <h2>Dead letters (tasks.dead) — peek without consuming, redrive to the original exchange</h2>
        <div className="row">
          <button className="secondary" onClick={peek} data-testid="dead-peek-button">peek dead letters again</button>
          <button onClick={() => act('redrive', '/api/queues/dead/redrive', { count: 100 })} data-testid="redrive-button">redrive up to 100</button>
          {dead.some((m) => (m.redriven ?? 0) >= 3) && (
            <button className="secondary" onClick={() => confirm('Redrive also the messages redriven 3 times or more? Each died again after every redrive.') && act('redrive', '/api/queues/dead/redrive', { count: 100, force: true })} data-testid="redrive-force-button">redrive, also those redriven 3+ times</button>
          )}
          {note && <span className="muted" data-testid="queues-note">{note}</span>}
        </div>
        <table data-testid="dead-table">
          <thead><tr><th>from exchange</th><th>routing key</th><th>why</th><th title="times redriven already (header x-redriven); each time it died again">redriven</th><th>payload</th></tr></thead>
          <tbody>
            {dead.map((m, i) => (
              <tr key={i} data-testid="dead-row"><td>{fromExchange(m)}</td><td>{fromKey(m)}</td><td style={{ whiteSpace: 'normal', maxWidth: 360 }}>{deathOf(m)}</td><td data-testid="dead-redriven">{redrivenText(m.redriven)}</td><td style={{ whiteSpace: 'normal' }}><pre className="msg">{m.payload}</pre></td></tr>
            ))}
          </tbody>
        </table>
        {dead.length === 0 && <p className="muted">No dead letters.</p>}
      </div>
    </>
  );
}
