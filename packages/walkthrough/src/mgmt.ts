// The two management-API reads the walkthrough needs: a queue's depth and a non-destructive peek.
// RabbitMQ's management plugin and taskqueue both answer them.
import { ManagementApi, type MgmtMessage } from '@riderflow/service-kit';

/**
 * The vhost an AMQP URL names (its path, decoded), "/" when it names none: the management API
 * addresses every queue by vhost, and a shared RabbitMQ gives each platform a vhost of its own.
 */
export { vhostOf } from '@riderflow/service-kit';

export async function queueDepth(managementUrl: string, queue: string, vhost = '/'): Promise<{ ready: number; unacked: number }> {
  const q = await new ManagementApi(managementUrl, vhost).queue(queue);
  return { ready: q.messages_ready ?? 0, unacked: q.messages_unacknowledged ?? 0 };
}

export function peekQueue(managementUrl: string, queue: string, count: number, vhost = '/'): Promise<MgmtMessage[]> {
  return new ManagementApi(managementUrl, vhost, 5_000).peek(queue, count);
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
