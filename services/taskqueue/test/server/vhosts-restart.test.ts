// Virtual hosts survive a restart: those from config (--vhosts) and those declared through the
// management API, with their permissions and their durable queues' persistent messages.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { startTaskqueue, type TaskqueueHandle } from '../../src/index.js';

const dirs: string[] = [];
const running: TaskqueueHandle[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string, vhosts?: string[]): Promise<TaskqueueHandle> {
  const t = await startTaskqueue({ port: 0, httpPort: 0, dataDir, users: { guest: 'guest', other: 'pw' }, vhosts });
  running.push(t);
  return t;
}

const auth = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' };

describe('virtual hosts across a restart', () => {
  it('keeps configured and declared vhosts, their permissions and their persistent messages', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-vh-'));
    dirs.push(dataDir);
    let t = await start(dataDir, ['from-config']);
    const http = `http://127.0.0.1:${t.httpPort}`;
    expect((await fetch(`${http}/api/vhosts/declared%2Fone`, { method: 'PUT', headers: auth })).status).toBe(201);
    // "other" may use the configured vhost but was never given the declared one
    const c = await amqp.connect(`amqp://other:pw@127.0.0.1:${t.port}/from-config`);
    await c.close();
    await expect(amqp.connect(`amqp://other:pw@127.0.0.1:${t.port}/declared%2Fone`)).rejects.toThrow();

    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${t.port}/declared%2Fone`);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('jobs', { durable: true });
    ch.sendToQueue('jobs', Buffer.from('kept'), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await running.pop()!.close();

    t = await start(dataDir); // no --vhosts this time: the saved list is enough
    const names = ((await (await fetch(`http://127.0.0.1:${t.httpPort}/api/vhosts`, { headers: auth })).json()) as Array<{ name: string }>).map((v) => v.name);
    expect(names.sort()).toEqual(['/', 'declared/one', 'from-config']);
    await expect(amqp.connect(`amqp://other:pw@127.0.0.1:${t.port}/declared%2Fone`)).rejects.toThrow();
    const again = await amqp.connect(`amqp://guest:guest@127.0.0.1:${t.port}/declared%2Fone`);
    const m = await (await again.createChannel()).get('jobs', { noAck: true });
    expect(m && m.content.toString()).toBe('kept');
    await again.close();
    // and "/" did not get it
    const root = await amqp.connect(`amqp://guest:guest@127.0.0.1:${t.port}`);
    const rch = await root.createChannel();
    rch.on('error', () => {});
    await expect(rch.checkQueue('jobs')).rejects.toThrow(/404|NOT_FOUND/);
    await root.close().catch(() => {});
  });
});
