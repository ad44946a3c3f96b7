// The two management-API reads the walkthrough needs: a queue's depth and a non-destructive peek.
// RabbitMQ's management plugin and taskqueue both answer them.

function split(url: string): { base: string; auth: string } {
  const u = new URL(url);
  const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username || 'guest')}:${decodeURIComponent(u.password || 'guest')}`).toString('base64');
  u.username = '';
  u.password = '';
  return { base: u.toString().replace(/\/$/, ''), auth };
}

/**
 * The vhost an AMQP URL names (its path, decoded), "/" when it names none: the management API
 * addresses every queue by vhost, and a shared RabbitMQ gives each platform a vhost of its own.
 */
export { vhostOf } from '@riderflow/contracts';

const queuePath = (vhost: string, queue: string) => `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`;

export async function queueDepth(managementUrl: string, queue: string, vhost = '/'): Promise<{ ready: number; unacked: number }> {
  const { base, auth } = split(managementUrl);
  const res = await fetch(`${base}${queuePath(vhost, queue)}`, { headers: { authorization: auth }, signal: AbortSignal.timeout(3_000) });
  if (!res.ok) throw new Error(`queue ${queue}: HTTP ${res.status}`);
  const q = (await res.json()) as { messages_ready?: number; messages_unacknowledged?: number };
  return { ready: q.messages_ready ?? 0, unacked: q.messages_unacknowledged ?? 0 };
}

export async function peekQueue(managementUrl: string, queue: string, count: number, vhost = '/'): Promise<{ payload: string; properties: { headers?: Record<string, unknown> } }[]> {
  const { base, auth } = split(managementUrl);
  const res = await fetch(`${base}${queuePath(vhost, queue)}/get`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ count, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50_000 }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`peek ${queue}: HTTP ${res.status}`);
  return (await res.json()) as { payload: string; properties: { headers?: Record<string, unknown> } }[];
}

/** Polls until `check` returns a value or the deadline passes. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
