'use client';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { QueueMessage } from '@riderflow/contracts';

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/**
 * The first messages of any queue, read with the management API's get-and-requeue: nothing is
 * consumed, so the queue's count is the same before and after (RabbitMQ marks them redelivered).
 */
export function QueuePeek({ queue, queues, onQueue }: { queue: string; queues: string[]; onQueue: (q: string) => void }) {
  const [messages, setMessages] = useState<QueueMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const peek = useCallback(() => {
    setError(null);
    api<QueueMessage[]>(`/api/queues/${encodeURIComponent(queue)}/peek?count=20`).then(setMessages).catch((e: Error) => setError(e.message));
  }, [queue]);
  useEffect(peek, [peek]);
  return (
    <div data-testid="queue-peek">
      <div className="row">
        <select aria-label="queue to peek" value={queue} onChange={(e) => onQueue(e.target.value)}>
          {queues.map((q) => <option key={q}>{q}</option>)}
        </select>
        <button className="secondary" onClick={peek} data-testid="peek-button">peek again</button>
        <span className="field-note">{messages ? `${messages.length} message${messages.length === 1 ? '' : 's'} shown, none consumed` : 'reading…'}</span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="table-scroll tall" tabIndex={0} role="region" aria-label={`messages in ${queue}`}>
        <table>
          <thead><tr><th>routing key</th><th>exchange</th><th>redelivered</th><th>headers</th><th>payload</th></tr></thead>
          <tbody>
            {(messages ?? []).map((m, i) => {
              const headers = Object.entries(m.properties.headers ?? {});
              return (
                <tr key={i} data-testid="peek-row">
                  <td>{m.routing_key}</td><td>{m.exchange || <span className="muted">(default)</span>}</td><td>{m.redelivered ? 'yes' : 'no'}</td>
                  <td style={{ whiteSpace: 'normal', fontSize: 11, maxWidth: 280 }}>{headers.length ? headers.map(([k, v]) => <div key={k}><span className="muted">{k}:</span> {typeof v === 'string' ? v : JSON.stringify(v)}</div>) : <span className="muted">—</span>}</td>
                  <td style={{ whiteSpace: 'normal', minWidth: 260 }}><details className="json"><summary><span className="value-preview">{m.payload.slice(0, 100)}</span></summary><pre>{pretty(m.payload)}</pre></details></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {messages?.length === 0 && <p className="muted">{queue} is empty.</p>}
    </div>
  );
}
