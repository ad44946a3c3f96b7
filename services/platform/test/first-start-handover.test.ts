import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { loadPlatformConfig } from '../src/platform-config.js';
import { platformServices } from '../src/services.js';
import { endingsOf, openBefore, orderEvents, restartCancels, runService } from './sim-log-helpers.js';

// A first `npm start`: the history, then the live simulator, with the arguments the platform gives
// them (a real streamlog, the simulator as its own process, the log read back with kafkajs). The
// history's last orders are in flight when it ends; nothing restarted, so the live run must finish
// them, not cancel them "because the simulator restarted". A later start still does (--resume).

const SIM_START = '2025-03-03T12:00:00Z';

describe('a first start: the live simulator takes over the history it starts after', () => {
  let dir: string;
  let log: StreamlogHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-first-start-'));
    log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the orders the history left in flight (none cancelled for a restart); a later start still cancels with --resume', async () => {
    const config = loadPlatformConfig({ DATA_DIR: dir, KAFKA_BROKERS: log.brokers, SIM_RIDERS: '40', SIM_DEMAND: '3', SIM_HISTORY_DAYS: '1', SIM_START });
    const { specs, env } = platformServices(config);
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    const { history, simulator } = byName;

    expect(await history.skipIf!()).toBe(false);
    await runService(history, history.args ?? [], env);
    const launch = await simulator.launchArgs!();
    const liveStart = Date.parse(launch[launch.indexOf('--start') + 1]);
    expect(Math.abs(liveStart - Date.parse(SIM_START))).toBeLessThan(5 * 60_000);
    const inFlight = openBefore(await orderEvents(log.brokers), liveStart);
    expect(inFlight.size).toBeGreaterThan(5); // lunchtime: the history ends with orders at every stage

    // The live run, as the platform starts it, without a dispatcher (its own new orders time out)
    // and for one simulated hour: far longer than any order in flight takes.
    const out = await runService(simulator, [...(simulator.args ?? []), ...launch, '--no-amqp', '--speed', 'max', '--duration', '1h', '--quiet'], env);
    const after = await orderEvents(log.brokers);
    expect(restartCancels(after), out).toEqual([]);
    const endings = endingsOf(after, inFlight);
    // Each ends once; delivered, unless its customer cancelled (as customers do).
    expect([...inFlight].filter((id) => endings.get(id)?.length !== 1)).toEqual([]);
    expect([...endings.values()].flat().filter((how) => how !== 'delivered' && how !== 'cancelled: customer')).toEqual([]);

    // A later start (Ctrl-C, then npm start again) is a true restart: it closes what was left in flight.
    const again = await simulator.launchArgs!();
    expect(again).toContain('--resume');
    expect(again).not.toContain('--take-over');
  }, 240_000);
});
