// Test helpers for the broker core: a consumer sink with a prefetch window, and shorthands.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConsumerSink, Delivery, Message, MessageProperties, QueueOptions } from '../../src/broker/contract.js';

export class TestSink implements ConsumerSink {
  readonly got: Delivery[] = [];
  unacked = 0;
  cancelled = false;
  constructor(readonly tag: string, readonly connectionId = 'c1', readonly noAck = false, public prefetch = Infinity) {}
  canAccept(): boolean {
    return this.unacked < this.prefetch;
  }
  deliver(d: Delivery): void {
    this.got.push(d);
    if (!this.noAck) this.unacked++;
  }
  cancelledByServer(): void {
    this.cancelled = true;
  }
  bodies(): string[] {
    return this.got.map((d) => d.message.body.toString());
  }
}

export const queueOptions = (o: Partial<QueueOptions> = {}): QueueOptions => ({ durable: false, exclusiveOwner: null, autoDelete: false, arguments: {}, ...o });
export const exchangeOptions = { durable: false, autoDelete: false, internal: false, arguments: {} };

export function msg(exchange: string, routingKey: string, body: string, properties: MessageProperties = {}): Message {
  return { exchange, routingKey, properties, body: Buffer.from(body) };
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-core-'));
}

export async function until(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
