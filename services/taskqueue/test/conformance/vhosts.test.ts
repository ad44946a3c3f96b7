// Virtual hosts (issue 21): declared and deleted through the management API, permissions per
// vhost, and data kept per vhost — the same queue name in two vhosts is two queues.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { AMQPClient } from '@cloudamqp/amqp-client';
import { connect, managementFetch, startTarget, targetNames, uniqueName, until, type Target } from './targets.js';

describe.each(targetNames)('virtual hosts on %s', (targetName) => {
  let target: Target;
  const vhost = uniqueName('vh');
  const api = (path: string, init?: RequestInit) => managementFetch(target.httpUrl!, path, init);
  const vhostUrl = (v: string) => {
    const u = new URL(target.url);
    u.pathname = `/${encodeURIComponent(v)}`;
    return u.toString();
  };

  /** the reason the broker gives for refusing connection.open (amqplib does not show it; amqp-client does) */
  async function refusal(url: string): Promise<string> {
    try {
      const c = await new AMQPClient(url).connect();
      await c.close();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`expected ${url} to be refused`);
  }

  beforeAll(async () => {
    target = await startTarget(targetName, { requireManagementMs: 30_000 });
  });
  afterAll(async () => {
    await api(`/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'DELETE' }).catch(() => {});
    await target?.stop();
  });

  it('a vhost that does not exist refuses the connection', async () => {
    const missing = uniqueName('missing');
    expect(await refusal(vhostUrl(missing))).toContain(`NOT_ALLOWED - vhost ${missing} not found (530)`);
  });

  it('declares a vhost, keeps its data apart from "/", enforces permissions, and deletes it', async () => {
    const put = await api(`/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(201);
    expect((await api(`/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'PUT', body: '{}' })).status).toBe(204);
    const list = (await (await api('/api/vhosts')).json()) as Array<{ name: string }>;
    expect(list.map((v) => v.name)).toEqual(expect.arrayContaining(['/', vhost]));
    // the creator may use it
    const perms = (await (await api(`/api/vhosts/${encodeURIComponent(vhost)}/permissions`)).json()) as Array<{ user: string }>;
    const user = decodeURIComponent(new URL(target.url).username);
    expect(perms.map((p) => p.user)).toContain(user);

    // the same queue name in both vhosts: two queues
    const q = uniqueName('same-name');
    const inVhost = await connect(vhostUrl(vhost));
    const inDefault = await connect(target.url);
    try {
      const a = await inVhost.createConfirmChannel();
      const b = await inDefault.createConfirmChannel();
      await a.assertQueue(q, { durable: false });
      await b.assertQueue(q, { durable: false });
      for (let i = 0; i < 3; i++) a.sendToQueue(q, Buffer.from(`vh${i}`));
      b.sendToQueue(q, Buffer.from('default'));
      await a.waitForConfirms();
      await b.waitForConfirms();
      expect((await a.checkQueue(q)).messageCount).toBe(3);
      expect((await b.checkQueue(q)).messageCount).toBe(1);
      const got = await b.get(q, { noAck: true });
      expect(got && got.content.toString()).toBe('default');
      await b.deleteQueue(q);
      // the management API lists it under its vhost
      await until(async () => {
        const r = await api(`/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(q)}`);
        return r.ok && ((await r.json()) as { messages: number }).messages === 3;
      }, 'queue in the vhost visible in the management API', 20_000);
      const r = await api(`/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(q)}`);
      expect(((await r.json()) as { vhost: string }).vhost).toBe(vhost);
      // and the vhost counts its messages, alone and in the list (rabbitmqadmin list vhosts)
      type VhostCounts = { name: string; messages?: number; messages_ready?: number; messages_unacknowledged?: number };
      const counts = (v: VhostCounts | undefined) => v && { messages: v.messages, ready: v.messages_ready, unacked: v.messages_unacknowledged };
      const three = { messages: 3, ready: 3, unacked: 0 };
      await until(async () => {
        const one = (await (await api(`/api/vhosts/${encodeURIComponent(vhost)}`)).json()) as VhostCounts;
        const listed = ((await (await api('/api/vhosts')).json()) as VhostCounts[]).find((v) => v.name === vhost);
        return JSON.stringify(counts(one)) === JSON.stringify(three) && JSON.stringify(counts(listed)) === JSON.stringify(three);
      }, 'the vhost counting its 3 messages in /api/vhosts', 30_000);
    } finally {
      await inVhost.close().catch(() => {});
      await inDefault.close().catch(() => {});
    }

    // take the user's permission away: the vhost refuses it; give it back: it is let in
    expect((await api(`/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { method: 'DELETE' })).status).toBe(204);
    expect(await refusal(vhostUrl(vhost))).toContain(`NOT_ALLOWED - access to vhost '${vhost}' refused for user '${user}' (530)`);
    const grant = await api(`/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, {
      method: 'PUT',
      body: JSON.stringify({ configure: '.*', write: '.*', read: '.*' }),
    });
    expect(grant.status).toBe(201);
    const again = await connect(vhostUrl(vhost));
    expect((await (await again.createChannel()).checkQueue(q)).messageCount).toBe(3);
    await again.close();

    // deleting the vhost deletes its data
    expect((await api(`/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/vhosts/${encodeURIComponent(vhost)}`)).status).toBe(404);
    expect(await refusal(vhostUrl(vhost))).toContain(`NOT_ALLOWED - vhost ${vhost} not found`);
    const recreated = await api(`/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'PUT', body: '{}' });
    expect(recreated.status).toBe(201);
    const fresh = await connect(vhostUrl(vhost));
    const ch = await fresh.createChannel();
    ch.on('error', () => {});
    // the error names the vhost the channel is in, as RabbitMQ's does
    await expect(ch.checkQueue(q)).rejects.toThrow(`NOT_FOUND - no queue '${q}' in vhost '${vhost}'`);
    await fresh.close().catch(() => {});
  });

  it('connections to a vhost are closed when it is deleted', async () => {
    const v = uniqueName('vh-del');
    expect((await api(`/api/vhosts/${encodeURIComponent(v)}`, { method: 'PUT', body: '{}' })).status).toBe(201);
    const conn = await amqp.connect(vhostUrl(v));
    const closed = new Promise<Error | undefined>((resolve) => {
      conn.on('error', (e: Error) => resolve(e));
      conn.on('close', () => resolve(undefined));
    });
    expect((await api(`/api/vhosts/${encodeURIComponent(v)}`, { method: 'DELETE' })).status).toBe(204);
    await closed; // either event: the connection went away
  });
});
