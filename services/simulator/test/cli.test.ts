import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { writeTinyInstance } from './mdrp-fixture.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');

function sim(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['services/simulator/src/main.ts', ...args], { cwd: repo, env: { ...process.env, KAFKA_BROKERS: '', AMQP_URL: '' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('the simulator CLI', () => {
  let dir: string;
  let log: StreamlogHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-cli-'));
    log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bad input: one clear error line naming the problem, non-zero exit, nothing written to the log', async () => {
    const badInstance = writeTinyInstance(path.join(dir, 'bad-instance'), { 'orders.txt': 'order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1\t1\tsoon\tr1\t5\n' });
    const port = await closedPort();
    const cases: [string[], number, RegExp][] = [
      [['--bogus'], 2, /unknown option '--bogus'/],
      [['--riders', '0'], 2, /--riders must be between 1/],
      [['--scenario', 'mdrp', '--instance', badInstance, '--brokers', log.brokers], 2, /orders\.txt line 2: placement_time "soon" is not a number/],
      [['--brokers', `127.0.0.1:${port}`, '--no-amqp', '--connect-timeout', '1000'], 1, /log at 127\.0\.0\.1:\d+ unreachable/],
      [['--brokers', log.brokers, '--amqp', `amqp://guest:guest@127.0.0.1:${port}`, '--connect-timeout', '1000'], 1, /task queue at amqp:\/\/127\.0\.0\.1:\d+ unreachable/],
    ];
    const results = await Promise.all(cases.map(([args]) => sim(args)));
    results.forEach((r, i) => {
      const [args, code, message] = cases[i];
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(message);
      expect(lines[0]).toMatch(/^sim: /);
      expect(r.code, args.join(' ')).toBe(code);
    });
    // Nothing half-written: the live log got no topics from the failed runs.
    const kafka = new Kafka({ clientId: 'cli-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    expect((await admin.listTopics()).filter((t) => !t.startsWith('__'))).toEqual([]);
    await admin.disconnect();
    // five CLI processes start at once: on a loaded 2-core machine that alone can take a minute
  }, 180_000);

  it('--help lists every option; --dry-run prints the same digest for the same seed and options', async () => {
    const [help, a, b] = await Promise.all([
      sim(['--help']),
      sim(['--dry-run', '--seed', 'one', '--riders', '50']),
      sim(['--dry-run', '--seed', 'one', '--riders', '50']),
    ]);
    expect(help.code).toBe(0);
    for (const opt of ['--seed', '--speed', '--riders', '--stores', '--zones', '--rate', '--duration', '--days', '--start', '--brokers', '--amqp', '--scenario', '--instance', '--history']) {
      expect(help.stdout).toContain(opt);
    }
    const digest = (out: string) => /digest ([0-9a-f]{16})/.exec(out)?.[1];
    expect(a.code).toBe(0);
    expect(digest(a.stdout)).toBeDefined();
    expect(digest(a.stdout)).toBe(digest(b.stdout));
    expect(a.stdout).toContain('50 riders; seed "one"');
  }, 180_000);
});
