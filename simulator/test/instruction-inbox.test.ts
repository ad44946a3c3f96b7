import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { InstructionInbox } from '../src/adapters/instruction-inbox.js';

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the instruction inbox when the broker closes its channel', () => {
  let tmp: string;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-inbox-'));
    tq = await startTaskqueue({ port: 0, dataDir: tmp, durability: 'none' });
  });
  afterAll(async () => {
    await tq?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reports the channel error to onClose listeners instead of crashing', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    try {
      const closed: (Error | undefined)[] = [];
      inbox.onClose((err) => closed.push(err));
      // A channel-level error from the broker (404 on a missing queue) closes the inbox's channel.
      const channel = (inbox as unknown as { channel: Channel }).channel;
      await expect(channel.checkQueue('rf-sim-inbox-no-such-queue')).rejects.toThrow(/404/);
      await until('onClose', () => closed.length > 0);
      expect(closed).toHaveLength(1);
      expect(closed[0]?.message).toMatch(/404/);
    } finally {
      await inbox.close();
    }
  });

  it('does not call onClose listeners on an orderly close', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    const closed: (Error | undefined)[] = [];
    inbox.onClose((err) => closed.push(err));
    await inbox.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toEqual([]);
  });
});
