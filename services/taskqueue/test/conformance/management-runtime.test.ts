// The management API's runtime lists — connections, channels, consumers, users, nodes, policies —
// read with the same code from both brokers (what `rabbitmqadmin list …` reads), and closing a
// connection over HTTP. RabbitMQ refreshes these statistics every few seconds, hence the polling.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { managementFetch, startTarget, targetNames, uniqueName, until, type Target } from './targets.js';

interface ConnectionJson { name: string; user: string; vhost: string; channels: number; peer_port: number; user_provided_name?: string; client_properties: Record<string, unknown> }
interface ChannelJson { name: string; number: number; consumer_count: number; prefetch_count: number; confirm: boolean; messages_unacknowledged: number; connection_details: { name: string } }
interface ConsumerJson { consumer_tag: string; queue: { name: string; vhost: string }; ack_required: boolean; exclusive: boolean; prefetch_count: number; channel_details: { name: string; connection_name: string; number: number } }

describe.each(targetNames)('management API runtime lists on %s', (targetName) => {
  let target: Target;
  let conn: ChannelModel;
  let consuming: Channel;
  const connectionName = uniqueName('conn');
  const q = uniqueName('runtime-q');
  const tag = uniqueName('tag');
  const api = async <T>(path: string): Promise<T> => {
    const r = await managementFetch(target.httpUrl!, path);
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const ours = async (): Promise<ConnectionJson | undefined> =>
    (await api<ConnectionJson[]>('/api/connections')).find((c) => c.user_provided_name === connectionName || c.client_properties?.connection_name === connectionName);

  beforeAll(async () => {
    target = await startTarget(targetName, { requireManagementMs: 30_000 });
    conn = await amqp.connect(target.url, { clientProperties: { connection_name: connectionName } });
    consuming = await conn.createChannel();
    await consuming.prefetch(7);
    await consuming.assertQueue(q, { durable: false, autoDelete: true });
    await consuming.consume(q, () => {}, { consumerTag: tag });
    const confirming = await conn.createConfirmChannel();
    void confirming;
  });
  afterAll(async () => {
    await conn?.close().catch(() => {});
    await target?.stop();
  });

  it('lists the connection, its two channels and the consumer, linked by name', async () => {
    let c: ConnectionJson | undefined;
    await until(async () => (c = await ours()) !== undefined && c.channels === 2, 'the connection with its 2 channels', 20_000);
    const user = decodeURIComponent(new URL(target.url).username);
    expect(c).toMatchObject({ user, vhost: '/', channels: 2 });
    expect(c!.name).toMatch(/^[\d.:a-f]+:\d+ -> [\d.:a-f]+:\d+$/);
    expect(await api<ConnectionJson>(`/api/connections/${encodeURIComponent(c!.name)}`)).toMatchObject({ name: c!.name, user });

    let channels: ChannelJson[] = [];
    // RabbitMQ lists a channel before its statistics (consumers, prefetch) catch up: wait for both
    await until(async () => {
      channels = (await api<ChannelJson[]>('/api/channels')).filter((ch) => ch.connection_details.name === c!.name).sort((a, b) => a.number - b.number);
      return channels.length === 2 && channels[0]!.consumer_count === 1 && channels[0]!.prefetch_count === 7 && channels[1]!.confirm;
    }, 'both channels with their statistics', 20_000);
    expect(channels.map((ch) => ch.name)).toEqual([`${c!.name} (1)`, `${c!.name} (2)`]);
    expect(channels[0]).toMatchObject({ consumer_count: 1, prefetch_count: 7, confirm: false, messages_unacknowledged: 0 });
    expect(channels[1]).toMatchObject({ consumer_count: 0, confirm: true });
    expect((await api<ChannelJson[]>(`/api/connections/${encodeURIComponent(c!.name)}/channels`)).length).toBe(2);
    expect((await api<ChannelJson>(`/api/channels/${encodeURIComponent(channels[0].name)}`)).number).toBe(1);

    let consumer: ConsumerJson | undefined;
    await until(async () => (consumer = (await api<ConsumerJson[]>('/api/consumers/%2F')).find((k) => k.consumer_tag === tag)) !== undefined, 'the consumer', 20_000);
    expect(consumer).toMatchObject({ queue: { name: q, vhost: '/' }, ack_required: true, exclusive: false, prefetch_count: 7, channel_details: { name: channels[0].name, connection_name: c!.name, number: 1 } });
    expect((await api<ConsumerJson[]>('/api/consumers')).some((k) => k.consumer_tag === tag)).toBe(true);
  });

  it('lists users (a salted hash, never the password), the node and no policies', async () => {
    const user = decodeURIComponent(new URL(target.url).username);
    const password = decodeURIComponent(new URL(target.url).password);
    const users = await api<Array<{ name: string; password_hash: string; hashing_algorithm: string; tags: string[] }>>('/api/users');
    const me = users.find((u) => u.name === user)!;
    expect(me).toMatchObject({ hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'] });
    // RabbitMQ's scheme: base64 of a 4-byte salt and SHA-256(salt ++ password); the password itself is nowhere
    const hash = Buffer.from(me.password_hash, 'base64');
    expect(hash).toHaveLength(36);
    expect(hash.subarray(4).equals(createHash('sha256').update(Buffer.concat([hash.subarray(0, 4), Buffer.from(password)])).digest())).toBe(true);
    expect(me.password_hash).not.toContain(password);
    expect((await api<{ name: string }>(`/api/users/${encodeURIComponent(user)}`)).name).toBe(user);
    expect((await managementFetch(target.httpUrl!, `/api/users/${uniqueName('nobody')}`)).status).toBe(404);
    const nodes = await api<Array<{ name: string; type: string; running: boolean; mem_used: number }>>('/api/nodes');
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ type: 'disc', running: true });
    expect(nodes[0].mem_used).toBeGreaterThan(0);
    for (const path of ['/api/policies', '/api/policies/%2F', '/api/operator-policies', '/api/parameters', '/api/vhost-limits']) {
      expect(await api<unknown[]>(path)).toEqual([]);
    }
  });

  it('DELETE /api/connections/<name> closes it with 320 and the X-Reason; the client sees why', async () => {
    const victim = uniqueName('victim');
    const other = await amqp.connect(target.url, { clientProperties: { connection_name: victim } });
    const closed = new Promise<string>((resolve) => {
      other.on('error', (e: Error) => resolve(e.message));
      other.on('close', (e?: Error) => resolve(e?.message ?? 'closed without an error'));
    });
    let name: string | undefined;
    await until(async () => {
      const list = await api<ConnectionJson[]>('/api/connections');
      name = list.find((c) => c.user_provided_name === victim || c.client_properties?.connection_name === victim)?.name;
      return name !== undefined;
    }, 'the victim listed', 20_000);
    const del = await managementFetch(target.httpUrl!, `/api/connections/${encodeURIComponent(name!)}`, { method: 'DELETE', headers: { 'x-reason': 'tidy up' } });
    expect(del.status).toBe(204);
    expect(await closed).toContain('CONNECTION_FORCED - tidy up');
    // the one we did not name is untouched
    expect((await ours())?.channels).toBe(2);
  });
});
