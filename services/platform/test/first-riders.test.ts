import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForFirstRiders } from '../src/first-riders.js';

// "Dashboard ready" is riders of the live simulation on the map: a frame that holds only what a
// first start's history left (riders, but a clock not past the live start) does not count.

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function dashboard(frame: () => unknown): Promise<string> {
  server = createServer((req, res) => {
    if (req.url !== '/api/frame') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(frame()));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('waitForFirstRiders', () => {
  it('waits for a frame past the live start, not for riders read from history', async () => {
    const liveStart = Date.parse('2025-03-03T11:45:00Z');
    let frame = { simTime: liveStart - 1_000, riders: [{ id: 'r1' }] }; // history only
    let liveFrom: number | null = null; // the simulator has not started yet
    const url = await dashboard(() => frame);
    let settled = false;
    const ready = waitForFirstRiders({ url, startedAt: Date.now(), liveFrom: () => liveFrom }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(settled).toBe(false);
    liveFrom = liveStart; // the simulator starts; the frame still shows history
    await new Promise((r) => setTimeout(r, 1_000));
    expect(settled).toBe(false);
    frame = { simTime: liveStart + 2_000, riders: [] }; // live, but no rider yet
    await new Promise((r) => setTimeout(r, 1_000));
    expect(settled).toBe(false);
    frame = { simTime: liveStart + 4_000, riders: [{ id: 'r1' }] };
    expect(await ready).toBeGreaterThan(0);
  });

  it('says once when it is slow, keeps waiting, and still reports the riders when they come', async () => {
    let frame = { simTime: 0, riders: [] as { id: string }[] };
    const url = await dashboard(() => frame);
    let slow = 0;
    const ready = waitForFirstRiders({ url, startedAt: Date.now(), slowAfterMs: 500, onSlow: () => slow++ });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(slow).toBe(1);
    frame = { simTime: 1, riders: [{ id: 'r1' }] };
    expect(await ready).toBeGreaterThan(1);
    expect(slow).toBe(1);
  });

  it('ends with null only when the platform stops', async () => {
    const url = await dashboard(() => ({ simTime: 0, riders: [] }));
    let stopping = false;
    setTimeout(() => (stopping = true), 1_000);
    expect(await waitForFirstRiders({ url, startedAt: Date.now(), slowAfterMs: 100, stopped: () => stopping })).toBeNull();
  });
});
