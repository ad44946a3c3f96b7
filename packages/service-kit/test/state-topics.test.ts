import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { STATE_TOPIC, STATE_TOPICS } from '@riderflow/contracts';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { ensureStateTopic } from '../src/state-topics.js';

// A data dir from an earlier release keeps the configs its state topic was created with
// (dispatch.rider-state had segment.ms 60 s, which let ~99 % of the topic sit uncleaned): the next
// start brings the declared ones back and keeps what an operator set on top.
describe('ensureStateTopic on a topic that already exists', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-state-topic-'));
  let log: StreamlogHandle;
  let admin: Admin;
  const topic = STATE_TOPIC.dispatchRiderState;
  const configsOf = async () => {
    const r = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    return Object.fromEntries(r.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
  };

  beforeAll(async () => {
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
    admin = new Kafka({ clientId: 'state-topic-test', brokers: [`127.0.0.1:${log.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.disconnect();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a missing one with the declared configs and reports no change', async () => {
    expect(await ensureStateTopic(admin, topic)).toEqual([]);
    expect(await configsOf()).toMatchObject(STATE_TOPICS[topic].configs);
  }, 60_000);

  it('sets an older segment.ms back to the declared value, keeps an operator\'s retention.ms, and does nothing the second time', async () => {
    const declared = STATE_TOPICS[topic].configs;
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [...Object.entries(declared).map(([name, value]) => ({ name, value: name === 'segment.ms' ? '60000' : value })), { name: 'retention.ms', value: '3600000' }] }],
    });
    expect((await configsOf())['segment.ms']).toBe('60000');
    expect(await ensureStateTopic(admin, topic)).toEqual([{ name: 'segment.ms', from: '60000', to: declared['segment.ms'] }]);
    const after = await configsOf();
    expect(after).toMatchObject(declared);
    expect(after['retention.ms']).toBe('3600000');
    expect(await ensureStateTopic(admin, topic)).toEqual([]);
  }, 60_000);
});
