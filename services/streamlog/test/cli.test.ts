import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir, waitFor } from './helpers/broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { startChildBroker } from './helpers/child-broker.js';

describe('streamlog CLI', () => {
  it('serves Kafka, /healthz and /metrics, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir('rf-streamlog-cli-');
    const broker = await startChildBroker(['--data-dir', dataDir, '--http-port', '0', '--default-partitions', '3']);
    try {
      const producer = new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic: 'cli-auto', acks: -1, messages: [{ value: 'x' }] });
      await producer.disconnect();

      const health = await fetch(`http://127.0.0.1:${broker.httpPort}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${broker.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/streamlog_requests_total\{api="Produce"\} 1/);
      expect(metrics).toMatch(/streamlog_records_produced_total 1/);
      expect(metrics).toMatch(/streamlog_process_peak_rss_bytes \d+/);

      broker.child.kill('SIGTERM');
      expect(await broker.exited).toBe(0);
      const logs = broker.lines.map((l) => JSON.parse(l) as { msg: string; topic?: string; partitions?: number });
      expect(logs.find((l) => l.msg === 'topic auto-created')).toMatchObject({ topic: 'cli-auto', partitions: 3 });
      expect(logs.at(-1)?.msg).toBe('streamlog closed');
    } finally {
      broker.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('closes unauthenticated connections after --pre-auth-idle-ms, or STREAMLOG_PRE_AUTH_IDLE_MS', async () => {
    const idleCloses = (lines: string[]) =>
      lines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).filter((l) => l.msg === 'closing connection' && /^idle for/.test(l.reason ?? ''));
    for (const [how, args] of [
      ['flag', ['--pre-auth-idle-ms', '400']],
      ['env', []],
    ] as const) {
      const dataDir = tempDir('rf-streamlog-cli-');
      if (how === 'env') process.env.STREAMLOG_PRE_AUTH_IDLE_MS = '400';
      const broker = await startChildBroker(['--data-dir', dataDir, '--sasl-users', 'u:p', '--connections-max-idle-ms', '600000', ...args]).finally(() => delete process.env.STREAMLOG_PRE_AUTH_IDLE_MS);
      try {
        const raw = await rawConnect(broker.port);
        await raw.closed;
        // the reason names the configured limit, so this is the pre-auth limit and not the 10-minute one
        const closes = await waitFor(() => idleCloses(broker.lines).length > 0 && idleCloses(broker.lines), 30_000, `idle close logged (${how})`);
        expect(closes[0].reason).toBe('idle for 400 ms before SASL authentication');
      } finally {
        broker.child.kill('SIGKILL');
        await broker.exited;
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });
});
