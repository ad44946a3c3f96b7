import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATE_TOPICS } from '@riderflow/contracts';
import { DEFAULT_TOPIC_CONFIG, openLogEngine, type LogEngine, type TopicConfig } from '@riderflow/streamlog/storage';

// dispatch.rider-state is rewritten all the time (every rider every 250 ms on a busy platform), and
// the log never cleans its active segment: everything written since the last roll is dirty. The
// embedded log rolls a compacted topic's active segment in its cleaner pass (every 15 s, Kafka's
// log.cleaner.backoff.ms) once it is segment.ms old, and cleans right after. So segment.ms bounds the
// dirty part: with 60 s the topic held 60-90 s of superseded writes, ~99 % of its bytes. This runs
// the embedded log's storage as a library with the topic's own configs (STATE_TOPICS) under that
// load, on a fake clock, and checks the part not cleaned yet stays under one cleaner interval of
// writes, and that the files left by frequent rolls do not pile up.

const CLEANER_INTERVAL_MS = 15_000; // streamlog's --log-cleaner-interval-ms default (npm start's)
const WRITE_EVERY_MS = 250; // RiderStateWriter's interval
const RIDERS = 40; // one partition's share of npm start's 120
const RUN_MS = 2 * 60_000;

/** STATE_TOPICS configs as the embedded log's topic config (every name must be known here) */
function topicConfig(configs: Readonly<Record<string, string>>, partitions: number): TopicConfig {
  const keys: Record<string, keyof TopicConfig> = {
    'segment.ms': 'segmentMs',
    'segment.bytes': 'segmentBytes',
    'min.cleanable.dirty.ratio': 'minCleanableDirtyRatio',
    'delete.retention.ms': 'deleteRetentionMs',
  };
  const out: TopicConfig = { ...DEFAULT_TOPIC_CONFIG, partitions, cleanupPolicy: 'compact' };
  for (const [name, value] of Object.entries(configs)) {
    if (name === 'cleanup.policy') out.cleanupPolicy = value as TopicConfig['cleanupPolicy'];
    else if (keys[name]) (out as unknown as Record<string, number>)[keys[name]] = Number(value);
    else throw new Error(`unknown config ${name} in the test's map`);
  }
  return out;
}

describe('dispatch.rider-state under a busy platform: the dirty part stays bounded', () => {
  let dir = '';
  let engine: LogEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    vi.useRealTimers();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never more than one cleaner interval of writes uncleaned, and a handful of segment files', async () => {
    const spec = STATE_TOPICS['dispatch.rider-state'];
    vi.useFakeTimers({ toFake: ['Date'] });
    let now = Date.UTC(2026, 0, 1);
    vi.setSystemTime(now);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rider-state-'));
    engine = await openLogEngine({ dataDir: dir, retentionCheckMs: 3_600_000 });
    await engine.createTopic('dispatch.rider-state', topicConfig(spec.configs, 1));
    const log = engine.partition('dispatch.rider-state', 0)!;
    const partitionDir = path.join(dir, 'dispatch.rider-state-0');
    const segmentFiles = () => fs.readdirSync(partitionDir).filter((f) => f.endsWith('.log')).length;
    let written = 0;
    let maxSize = 0;
    let maxFiles = 0;
    let nextPass = now + CLEANER_INTERVAL_MS;
    for (let t = 0; t < RUN_MS; t += WRITE_EVERY_MS) {
      now += WRITE_EVERY_MS;
      vi.setSystemTime(now);
      const value = (r: number) => Buffer.from(JSON.stringify({ riderId: `r${r}`, lat: 52.5 + r / 1e4, lon: 13.4 + t / 1e9, onShiftSince: 0, shiftEnd: 1e13, seenAt: now }));
      const before = log.sizeBytes();
      await log.append(Array.from({ length: RIDERS }, (_, r) => ({ key: Buffer.from(`r${r}`), value: value(r), timestamp: BigInt(now) })));
      written = log.sizeBytes() - before; // one write's bytes
      if (now >= nextPass) {
        await engine.enforceRetention(now); // the cleaner pass
        nextPass += CLEANER_INTERVAL_MS;
      }
      maxSize = Math.max(maxSize, log.sizeBytes());
      maxFiles = Math.max(maxFiles, segmentFiles());
    }
    const perInterval = written * (CLEANER_INTERVAL_MS / WRITE_EVERY_MS);
    // the clean part is one record per rider; everything else is dirty
    expect(maxSize).toBeLessThanOrEqual(perInterval * 1.1 + 2 * written);
    expect(maxFiles).toBeLessThanOrEqual(4);
    // and it is still the topic it was: the latest value of every rider, one record each
    const latest = new Map<string, string>();
    for (const r of log.readRecords(log.logStartOffset, 1_000_000)) latest.set(r.key!.toString(), r.value!.toString());
    expect(latest.size).toBe(RIDERS);
    expect(JSON.parse(latest.get('r7')!).seenAt).toBe(now);
  }, 180_000);
});
