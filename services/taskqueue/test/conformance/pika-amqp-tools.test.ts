// Clients we did not write, on both brokers: pika (Debian python3-pika) in a transaction, and the
// amqp-tools commands (amqp-declare-queue, amqp-publish, amqp-get, amqp-delete-queue). Skipped,
// and said so, where they are not installed (.ci/run installs them).

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, targetNames, uniqueName, type Target } from './targets.js';

const PYTHON = '/usr/bin/python3';
const clientsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../clients');

function installed(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}
const hasPika = fs.existsSync(PYTHON) && installed(() => execFileSync(PYTHON, ['-c', 'import pika'], { stdio: 'ignore' }));
const hasAmqpTools = installed(() => execFileSync('amqp-publish', ['--help'], { stdio: 'ignore' }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.each(targetNames)('pika and amqp-tools on %s', (targetName) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(targetName);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it.skipIf(!hasPika)('pika: a bad publish in a transaction closes the channel at the publish and nothing is applied', async () => {
    const r = await run(PYTHON, [path.join(clientsDir, 'pika_tx.py'), target.url]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { closedAt: string; reason: [number, string]; left: number }>;
    expect(out.missingExchange).toEqual({ closedAt: 'publish', reason: [404, "NOT_FOUND - no exchange 'rf-pika-no-such-exchange' in vhost '/'"], left: 0 });
    expect(out.deliveryMode3).toEqual({ closedAt: 'publish', reason: [406, 'PRECONDITION_FAILED - invalid message: {delivery_mode_unknown,3}'], left: 0 });
    expect(out.missingExchangeBadExpiration).toEqual({ closedAt: 'publish', reason: [404, "NOT_FOUND - no exchange 'rf-pika-no-such-exchange' in vhost '/'"], left: 0 });
  });

  it.skipIf(!hasAmqpTools)('amqp-tools: declare, publish, get, the errors in RabbitMQ words, delete', async () => {
    const url = `--url=${target.url}`;
    const q = uniqueName('tools');
    expect(await run('amqp-declare-queue', [url, '-d', '-q', q])).toMatchObject({ code: 0, stdout: `${q}\n` });
    expect((await run('amqp-publish', [url, '-r', q, '-p', '-C', 'text/plain', '-b', 'hello'])).code).toBe(0);
    expect(await run('amqp-get', [url, '-q', q])).toMatchObject({ code: 0, stdout: 'hello' });
    const missing = await run('amqp-publish', [url, '-e', 'rf-tools-no-such-exchange', '-r', 'k', '-b', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("server channel error 404, message: NOT_FOUND - no exchange 'rf-tools-no-such-exchange' in vhost '/'");
    const redeclare = await run('amqp-declare-queue', [url, '-q', q]);
    expect(redeclare.stderr).toContain(`server channel error 406, message: PRECONDITION_FAILED - inequivalent arg 'durable' for queue '${q}' in vhost '/': received 'false' but current is 'true'`);
    expect(await run('amqp-delete-queue', [url, '-q', q])).toMatchObject({ code: 0, stdout: '0\n' });
    const gone = await run('amqp-get', [url, '-q', q]);
    expect(gone.stderr).toContain(`server channel error 404, message: NOT_FOUND - no queue '${q}' in vhost '/'`);
  });
});
