import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { startStreamlog, type StreamlogHandle, type StreamlogOptions } from '../../src/index.js';

export interface TestBroker extends StreamlogHandle {
  dataDir: string;
  kafka(config?: Partial<KafkaConfig>): Kafka;
  /** close the broker and remove its data dir */
  destroy(): Promise<void>;
}

export function tempDir(prefix = 'rf-streamlog-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A streamlog on an ephemeral port with a fresh temp data dir (or the one given, for restarts). */
export async function startTestBroker(options: Partial<StreamlogOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? tempDir();
  const handle = await startStreamlog({ port: 0, durability: 'none', ...options, dataDir });
  return {
    ...handle,
    dataDir,
    kafka: (config = {}) => new Kafka({ clientId: 'streamlog-test', brokers: [handle.brokers], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 }, ...config }),
    async destroy() {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The broker of a `describe` block (or file): `broker()` inside tests and later hooks. */
export interface TestBrokerFixture {
  (): TestBroker;
  /** close the broker and start it again on the same data dir; `broker()` then returns the new one */
  restart(): Promise<TestBroker>;
}

/**
 * Starts a test broker in `beforeAll` and destroys it (data dir too) in `afterAll` of the enclosing
 * block. `options` may be a function, read when the broker starts, for values earlier hooks make.
 */
export function useTestBroker(options: Partial<StreamlogOptions> | (() => Partial<StreamlogOptions>) = {}): TestBrokerFixture {
  let current: TestBroker | undefined;
  let started: Partial<StreamlogOptions> = {};
  beforeAll(async () => {
    started = typeof options === 'function' ? options() : options;
    current = await startTestBroker(started);
  });
  afterAll(async () => {
    await current?.destroy();
  });
  const broker = (): TestBroker => {
    if (!current) throw new Error('the test broker starts in beforeAll: use it inside tests and hooks');
    return current;
  };
  broker.restart = async (): Promise<TestBroker> => {
    const old = broker();
    await old.close();
    current = await startTestBroker({ ...started, dataDir: old.dataDir });
    return current;
  };
  return broker;
}

/** poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs` */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
