// The broker in a child process (src/main.ts), killed with SIGKILL while publishers wait for
// confirms; after a restart on the same data dir every confirmed persistent message is delivered.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-crash-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--no-http', '--data-dir', dataDir, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.dirname(MAIN),
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await until(
    () => {
      if (child.exitCode !== null) throw new Error(`broker exited early: ${out}`);
      const m = /"port":(\d+),"msg":"amqp listening"/.exec(out);
      return m ? Number(m[1]) : 0;
    },
    'broker start',
    30_000,
  );
  return { child, port };
}

describe('crash safety', () => {
  it('delivers every confirmed persistent message after SIGKILL and restart', async () => {
    const first = await startChild();
    const url = `amqp://guest:guest@127.0.0.1:${first.port}`;
    const setup = await amqp.connect(url);
    await (await setup.createChannel()).assertQueue('crash-q', { durable: true });
    await setup.close();

    const confirmed = new Set<string>();
    let stop = false;
    const publisher = async (p: number): Promise<void> => {
      const conn = await amqp.connect(url);
      conn.on('error', () => {});
      const ch = await conn.createConfirmChannel();
      ch.on('error', () => {});
      let outstanding = 0;
      for (let i = 0; !stop; i++) {
        const id = `${p}-${i}`;
        // a bounded window of outstanding publishes, each recorded only when its confirm arrives
        outstanding++;
        ch.sendToQueue('crash-q', Buffer.from(id), { persistent: true, messageId: id }, (err) => {
          outstanding--;
          if (!err) confirmed.add(id);
        });
        while (outstanding >= 200 && !stop) await new Promise<void>((r) => setTimeout(r, 1));
      }
    };
    const running = [0, 1, 2].map((p) => publisher(p).catch(() => {}));
    await until(() => confirmed.size >= 2000, 'confirms before the kill', 30_000);
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(running);
    await until(() => first.child.exitCode !== null || first.child.signalCode !== null, 'broker dead');
    const confirmedAtKill = new Set(confirmed);

    const second = await startChild();
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${second.port}`);
    const ch = await conn.createChannel();
    const { messageCount } = await ch.checkQueue('crash-q');
    const seen = new Set<string>();
    await ch.prefetch(500);
    await ch.consume('crash-q', (m) => {
      seen.add(m!.content.toString());
      ch.ack(m!);
    });
    await until(() => seen.size >= messageCount, 'recovered messages drained', 30_000);
    const missing = [...confirmedAtKill].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    expect(confirmedAtKill.size).toBeGreaterThanOrEqual(2000);
    await conn.close();
    second.child.kill('SIGTERM');
    await until(() => second.child.exitCode !== null, 'clean exit', 15_000);
    expect(second.child.exitCode).toBe(0);
  });
});
