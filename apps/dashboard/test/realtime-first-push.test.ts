import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { hostAllowList } from '@riderflow/host-guard';
import type { BrokerStatus, QueuesSnapshot } from '@riderflow/contracts';
import { attachRealtime, type RealtimeSource } from '../server/realtime.js';
import { until } from './until.js';

// A page opened on a running platform must get the gateway's latest queue, log and status
// snapshots as its socket connects, not at the next snapshot tick: the queues page said "Waiting
// for the broker…" until then. The tick is set to ten minutes here, so only the push on connect
// can deliver them within the test's deadline.

const queues: QueuesSnapshot = {
  at: 1,
  queues: [{ name: 'notifications', ready: 3, unacked: 0, consumers: 1, publishRate: 0, deliverRate: 0, ackRate: 0 } as QueuesSnapshot['queues'][number]],
  exchanges: [{ name: 'tasks', type: 'topic' }],
  bindings: [{ source: 'tasks', destination: 'notifications', routingKey: 'customer.#' }],
  rates: [],
};
const status: BrokerStatus[] = [{ name: 'queues', live: true, lastOkAt: 1, error: null }];

let server: http.Server;
let stop: () => void;
let url: string;
const source: { queues: QueuesSnapshot | null } & RealtimeSource = {
  queues,
  live: { frame: () => ({}) } as unknown as RealtimeSource['live'],
  runtime: {} as RealtimeSource['runtime'],
  status: () => status,
  logSnapshot: () => null,
};

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end());
  // frames once in a thousand seconds, snapshots every ten minutes: neither tick fires during the test
  stop = attachRealtime(server, source as RealtimeSource, 0.001, hostAllowList('127.0.0.1', undefined), undefined, { snapshotMs: 600_000 }).stop;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  stop?.();
  await new Promise((resolve) => server?.close(resolve));
});

/** a browser's socket, recording every push (acknowledged, as the page does) */
function browser(): { socket: Socket; got: Map<string, unknown> } {
  const got = new Map<string, unknown>();
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  for (const event of ['queues', 'status', 'log']) {
    socket.on(event, (payload: unknown, ack?: () => void) => {
      got.set(event, payload);
      ack?.();
    });
  }
  return { socket, got };
}

describe('realtime: the latest snapshots on connect', () => {
  it('a browser that connects gets the queues and the status at once', async () => {
    const b = browser();
    try {
      await until(() => b.got.has('queues') && b.got.has('status'), 'queues and status pushed on connect', 20_000);
      expect(b.got.get('queues')).toEqual(queues);
      expect(b.got.get('status')).toEqual(status);
      // no log snapshot yet on the gateway: nothing is sent for it (the page keeps saying what it waits for)
      expect(b.got.has('log')).toBe(false);
    } finally {
      b.socket.close();
    }
  });

  it('before the gateway has read the queues, a browser gets the status (which says why) and no empty queues', async () => {
    source.queues = null;
    const b = browser();
    try {
      await until(() => b.got.has('status'), 'status pushed on connect', 20_000);
      expect(b.got.has('queues')).toBe(false);
    } finally {
      b.socket.close();
      source.queues = queues;
    }
  });
});
