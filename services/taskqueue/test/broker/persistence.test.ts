// The message store: persistent messages on durable queues survive a reopen, acked ones do not;
// the journal gives disk space back; a torn tail is cut off; a SIGKILL loses no confirmed message.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openBroker } from '../../src/broker/index.js';
import { exchangeOptions, msg, queueOptions, TestSink, tmpDir, until } from './helpers.js';

const dirs: string[] = [];
function dir(): string {
  const d = tmpDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function journalBytes(d: string): number {
  const j = path.join(d, 'journal');
  return fs.readdirSync(j).reduce((a, f) => a + fs.statSync(path.join(j, f)).size, 0);
}

const persistent = { deliveryMode: 2 };

describe('message store', () => {
  it('keeps a priority queue and its messages in priority order across a reopen', async () => {
    const d = dir();
    let b = await openBroker({ dataDir: d });
    b.declareQueue('pq', queueOptions({ durable: true, arguments: { 'x-max-priority': 10 } }), false, 'c1');
    const sent: Array<[string, number | undefined]> = [['a', 1], ['b', 7], ['c', undefined], ['d', 7], ['e', 10], ['f', 1]];
    for (const [body, priority] of sent) await b.publish(msg('', 'pq', body, { ...persistent, ...(priority === undefined ? {} : { priority }) })).durable;
    await b.close();

    b = await openBroker({ dataDir: d });
    expect(b.queues().find((q) => q.name === 'pq')?.arguments).toMatchObject({ 'x-max-priority': 10 });
    const out: string[] = [];
    for (let m = b.get('pq', true, 'c1'); m; m = b.get('pq', true, 'c1')) out.push(m.message.body.toString());
    expect(out).toEqual(['e', 'b', 'd', 'a', 'f', 'c']);
    // a message published after the reopen still takes its place by priority
    b.publish(msg('', 'pq', 'late-low', { priority: 2 }));
    b.publish(msg('', 'pq', 'late-high', { priority: 9 }));
    expect(b.get('pq', true, 'c1')?.message.body.toString()).toBe('late-high');
    await b.close();
  });

  it('keeps durable topology and persistent messages across a reopen, forgets acked and transient ones', async () => {
    const d = dir();
    let b = await openBroker({ dataDir: d });
    b.declareExchange('jobs', 'topic', { ...exchangeOptions, durable: true }, false);
    b.declareExchange('temp-x', 'fanout', exchangeOptions, false);
    b.declareQueue('dq', queueOptions({ durable: true, arguments: { 'x-max-length': 10 } }), false, 'c1');
    b.declareQueue('tq', queueOptions(), false, 'c1');
    b.bindQueue('dq', 'jobs', 'retrain.#', {}, 'c1');
    await b.publish(msg('jobs', 'retrain.zone', 'p1', persistent)).durable;
    await b.publish(msg('jobs', 'retrain.zone', 'p2', { ...persistent, headers: { n: 7n, when: new Date(1_700_000_000_000) }, timestamp: 5n })).durable;
    await b.publish(msg('jobs', 'retrain.zone', 'p3', persistent)).durable;
    await b.publish(msg('jobs', 'retrain.zone', 'transient')).durable;
    await b.publish(msg('', 'tq', 'in transient queue', persistent)).durable;
    const first = b.get('dq', false, 'c1')!;
    b.ack(first.ref);
    const second = b.get('dq', false, 'c1')!; // unacked at close: comes back
    expect(second.message.body.toString()).toBe('p2');
    await b.close();

    b = await openBroker({ dataDir: d });
    expect(b.exchanges().map((x) => x.name)).toContain('jobs');
    expect(b.exchanges().map((x) => x.name)).not.toContain('temp-x');
    expect(b.queues().map((q) => q.name)).toEqual(['dq']);
    expect(b.queues()[0].arguments).toEqual({ 'x-max-length': 10 });
    expect(b.bindings()).toContainEqual(expect.objectContaining({ source: 'jobs', destination: 'dq', routingKey: 'retrain.#' }));
    const back = b.peek('dq', 10);
    expect(back.map((m) => m.body.toString())).toEqual(['p2', 'p3']);
    expect(back[0].properties).toMatchObject({ deliveryMode: 2, timestamp: 5n, headers: { n: 7n, when: new Date(1_700_000_000_000) } });
    // delivered before the restart → redelivered after it, as RabbitMQ flags them
    const r2 = b.get('dq', false, 'c1')!;
    const r3 = b.get('dq', false, 'c1')!;
    expect([r2.redelivered, r3.redelivered]).toEqual([true, false]);
    b.reject(r3.ref, true);
    b.reject(r2.ref, true);
    // routing still works after recovery, and new ids do not collide with recovered ones
    await b.publish(msg('jobs', 'retrain.x', 'p4', persistent)).durable;
    const s = new TestSink('s');
    b.consume('dq', s, false);
    expect(s.bodies()).toEqual(['p2', 'p3', 'p4']);
    for (const dl of s.got) b.ack(dl.ref);
    await b.close();

    b = await openBroker({ dataDir: d });
    expect(b.queues()[0].messages).toBe(0);
    await b.close();
  });

  it('refuses a second broker on the same data directory while the first is open', async () => {
    const d = dir();
    const b = await openBroker({ dataDir: d });
    await expect(openBroker({ dataDir: d })).rejects.toThrow(/in use by this process/);
    await b.close();
    expect(fs.existsSync(path.join(d, 'LOCK'))).toBe(false);
    // a live process's pid in the lock file blocks; a dead one's is taken over
    fs.writeFileSync(path.join(d, 'LOCK'), String(process.ppid));
    await expect(openBroker({ dataDir: d })).rejects.toThrow(/in use by process/);
    fs.writeFileSync(path.join(d, 'LOCK'), '999999999');
    const again = await openBroker({ dataDir: d });
    await again.close();
  });

  it('a failing disk rejects the confirms that wait and leaves the broker running', async () => {
    const d = dir();
    const { openMessageStore } = await import('../../src/broker/message-store.js');
    const { CoreBroker } = await import('../../src/broker/broker.js');
    const opened = await openMessageStore({ dataDir: d });
    const b = new CoreBroker(opened.store);
    b.restore(opened);
    b.declareQueue('q', queueOptions({ durable: true }), false, 'c1');
    // pull the file out from under the store: the next batch write fails (EBADF)
    const store = opened.store as unknown as { fd: number };
    fs.closeSync(store.fd);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      b.publish(msg('', 'q', 'ignored confirm', persistent)); // nobody waits on this one
      await expect(b.publish(msg('', 'q', 'awaited', persistent)).durable).rejects.toThrow();
      await expect(b.publish(msg('', 'q', 'later', persistent)).durable).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      // transient traffic still flows
      b.declareQueue('t', queueOptions(), false, 'c1');
      b.publish(msg('', 't', 'fine'));
      expect(b.get('t', true, 'c1')!.message.body.toString()).toBe('fine');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      store.fd = -1;
      await b.close().catch(() => undefined);
    }
  });

  it('a queue deleted and declared again does not get its old messages back', async () => {
    const d = dir();
    let b = await openBroker({ dataDir: d });
    b.declareQueue('q', queueOptions({ durable: true }), false, 'c1');
    await b.publish(msg('', 'q', 'old', persistent)).durable;
    b.deleteQueue('q', false, false, 'c1');
    b.declareQueue('q', queueOptions({ durable: true }), false, 'c1');
    await b.publish(msg('', 'q', 'new', persistent)).durable;
    await b.close();
    b = await openBroker({ dataDir: d });
    expect(b.peek('q', 10).map((m) => m.body.toString())).toEqual(['new']);
    await b.close();
  });

  it('reclaims the disk space of acknowledged messages, moving stragglers out of old segments', async () => {
    const d = dir();
    let b = await openBroker({ dataDir: d, segmentBytes: 64 * 1024 });
    b.declareQueue('straggler', queueOptions({ durable: true }), false, 'c1');
    b.declareQueue('bulk', queueOptions({ durable: true }), false, 'c1');
    await b.publish(msg('', 'straggler', 'keep me', persistent)).durable;
    const body = 'x'.repeat(1024);
    const pending = [];
    for (let i = 0; i < 1000; i++) pending.push(b.publish(msg('', 'bulk', body, persistent)).durable);
    await Promise.all(pending);
    expect(journalBytes(d)).toBeGreaterThan(1_000_000);
    const s = new TestSink('s', 'c1', false, 100);
    b.consume('bulk', s, false);
    while (s.got.length < 1000) {
      for (const dl of s.got.slice(s.got.length - s.unacked)) b.ack(dl.ref);
      s.unacked = 0;
      b.pump('bulk');
    }
    for (const dl of s.got.slice(s.got.length - s.unacked)) b.ack(dl.ref);
    await until(() => journalBytes(d) < 100_000, 'journal to shrink', 5000);
    await b.close();
    b = await openBroker({ dataDir: d, segmentBytes: 64 * 1024 });
    expect(b.peek('straggler', 10).map((m) => m.body.toString())).toEqual(['keep me']);
    expect(b.queues().find((q) => q.name === 'bulk')!.messages).toBe(0);
    await b.close();
  });

  it('cuts a torn tail off and keeps every complete record', async () => {
    const d = dir();
    let b = await openBroker({ dataDir: d });
    b.declareQueue('q', queueOptions({ durable: true }), false, 'c1');
    for (let i = 0; i < 10; i++) await b.publish(msg('', 'q', `m${i}`, persistent)).durable;
    await b.close();
    const j = path.join(d, 'journal');
    const seg = fs.readdirSync(j).filter((f) => fs.statSync(path.join(j, f)).size > 0).sort().pop()!;
    const file = path.join(j, seg);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 7); // the last record half-written
    fs.appendFileSync(file, Buffer.from([0xff, 0xff, 0xff])); // and garbage after it

    b = await openBroker({ dataDir: d });
    expect(b.peek('q', 100).map((m) => m.body.toString())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    expect(fs.statSync(file).size).toBeLessThan(size - 7);
    await b.publish(msg('', 'q', 'after', persistent)).durable;
    await b.close();
    b = await openBroker({ dataDir: d });
    expect(b.peek('q', 100).map((m) => m.body.toString()).slice(-2)).toEqual(['m8', 'after']);
    await b.close();
  });

  it('after SIGKILL every confirmed persistent message is there', async () => {
    const d = dir();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), d], { stdio: ['ignore', 'pipe', 'inherit'] });
    const confirmed = new Set<number>();
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ok ')) confirmed.add(Number(l.slice(3)));
    });
    try {
      await until(() => confirmed.size >= 2000, '2000 confirms', 30_000);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const b = await openBroker({ dataDir: d, segmentBytes: 256 * 1024 });
    const ids = new Set(b.peek('crash', 1_000_000).map((m) => Number(m.body.toString().split('-')[1])));
    const missing = [...confirmed].filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(ids.size).toBeGreaterThanOrEqual(confirmed.size);
    await b.close();
  });
});
