import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlatformConfig } from '../src/platform-config.js';
import { hasModel, platformServices } from '../src/services.js';
import { simulatorLaunchArgs, simulatorStartLine } from '../src/sim-resume.js';

const argAfter = (args: string[] | undefined, flag: string) => args?.[args.indexOf(flag) + 1];

describe('platform services', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('wires every service to the configured ports and data dir, in a safe start order', () => {
    const config = loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', STREAMLOG_PORT: '19001', TASKQUEUE_PORT: '19002', TASKQUEUE_HTTP_PORT: '19003', PORT: '19004', DISPATCH_HTTP_PORT: '19005', SIM_HISTORY_DAYS: '2', SIM_START: '2025-03-03T12:00:00Z' });
    const { specs, env } = platformServices(config);
    expect(specs.map((s) => s.name)).toEqual(['dashboard', 'streamlog', 'taskqueue', 'migrate', 'history', 'train', 'projector', 'dispatch', 'notifier', 'rostering', 'simulator']);
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:19001');
    expect(env.AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:19002');
    expect(env.AMQP_MANAGEMENT_URL).toBe('http://guest:guest@127.0.0.1:19003');
    expect(env.DATABASE_URL).toBe('file:/tmp/rf-x/riderflow.db');
    expect(env.DISPATCH_HTTP_PORT).toBe('19005');
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    expect(argAfter(byName.streamlog.args, '--default-partitions')).toBe('3');
    expect(argAfter(byName.streamlog.args, '--data-dir')).toBe('/tmp/rf-x/streamlog');
    expect(byName.dashboard.env?.PORT).toBe('19004');
    // for its legend (the fleet), its header (speed, embedded runtime)
    expect(byName.dashboard.env).toMatchObject({ SIM_RIDERS: String(config.SIM_RIDERS), SIM_SPEED: String(config.SIM_SPEED), EMBEDDED_ENGINES: 'log,queues' });
    // History ends where the live run starts.
    expect(argAfter(byName.history.args, '--start')).toBe('2025-03-01T12:00:00.000Z');
    expect(argAfter(byName.history.args, '--days')).toBe('2');
    // The simulator starts last and stops first; it does not wait for the dashboard, whose first
    // page build would hold the simulation back (the dashboard reads the log during its build).
    expect(specs.at(-1)?.name).toBe('simulator');
    expect(byName.simulator.after ?? []).not.toContain('dashboard');
    expect(byName.simulator.stopTier).toBeGreaterThan(byName.dispatch.stopTier ?? 1);
    expect((byName.streamlog.stopTier ?? 1)).toBeLessThan(byName.dispatch.stopTier ?? 1);
  });

  it('skips first-start history and training when told to, or once a model exists', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-platform-'));
    dirs.push(dir);
    const { specs, env } = platformServices(loadPlatformConfig({ DATA_DIR: dir, SIM_HISTORY_DAYS: '0' }));
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    expect(await byName.history.skipIf!()).toBe('SIM_HISTORY_DAYS=0');
    expect(await byName.train.skipIf!()).toMatch(/best baseline/);
    expect(hasModel(env.MODELS_DIR)).toBe(false);
    mkdirSync(path.join(env.MODELS_DIR, 'v20250303T120000Z'), { recursive: true });
    expect(hasModel(env.MODELS_DIR)).toBe(true);
    expect(await byName.train.skipIf!()).toMatch(/already trained/);
  });

  it('tells a resumed simulator to close the orders the earlier run left in flight', () => {
    expect(simulatorLaunchArgs('2025-03-03T12:00:00.000Z', false)).toEqual(['--start', '2025-03-03T12:00:00.000Z']);
    expect(simulatorLaunchArgs('2025-03-03T12:00:00.000Z', true)).toEqual(['--start', '2025-03-03T12:00:00.000Z', '--resume']);
    // Right after this start's history: take its riders and orders over instead (nothing restarted).
    expect(simulatorLaunchArgs('2025-03-03T12:00:00.000Z', true, '/d/history-handover.json')).toEqual(['--start', '2025-03-03T12:00:00.000Z', '--take-over', '/d/history-handover.json']);
  });

  it('names every bad setting', () => {
    expect(() => loadPlatformConfig({ PORT: 'x', SIM_START: 'noon', SIM_SPEED: '-1' })).toThrow(/PORT.*SIM_SPEED.*SIM_START|PORT/);
    expect(() => loadPlatformConfig({ SIM_START: 'noon' })).toThrow(/SIM_START/);
    expect(loadPlatformConfig({ PORT: '' }).PORT).toBe(3000);
  });
});

describe("the simulator's start line", () => {
  it('says the clock starts where the history just written ends on a first start, and continues only an earlier run', () => {
    const at = '2025-03-03T11:45:00.000Z';
    expect(simulatorStartLine(at, true, 3)).toBe(`simulator: simulated clock starts at ${at}, where the 3 simulated days of history just written end`);
    expect(simulatorStartLine(at, true, 3)).not.toContain('continuing');
    expect(simulatorStartLine(at, true, null)).toBe(`simulator: continuing the simulated clock at ${at} (the newest record on the log, from an earlier run)`);
    expect(simulatorStartLine(at, false, null)).toBe(`simulator: a fresh log; simulated clock starts at ${at}`);
  });
});
