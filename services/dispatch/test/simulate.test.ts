import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { runInstance, writeSolution } from '../src/mdrp/run.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { writeFilesAtomically } from '../src/mdrp/write-atomic.js';
import { tinyInstanceTexts } from './tiny-instance.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rf-dispatch-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A busier random instance: 3 restaurants, 40 orders over two hours, 5 couriers with short shifts. */
function randomInstanceTexts(seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const t = tinyInstanceTexts();
  const rows = ['order\tx\ty\tplacement_time\trestaurant\tready_time'];
  for (let i = 1; i <= 40; i++) {
    const placed = Math.floor(rand() * 120);
    rows.push(`o${i}\t${Math.floor(rand() * 3000)}\t${Math.floor(rand() * 3000)}\t${placed}\tr${1 + Math.floor(rand() * 2)}\t${placed + 5 + Math.floor(rand() * 20)}`);
  }
  t.orders = rows.join('\n') + '\n';
  const couriers = ['courier\tx\ty\ton_time\toff_time'];
  for (let i = 1; i <= 5; i++) {
    const on = Math.floor(rand() * 60);
    couriers.push(`c${i}\t${Math.floor(rand() * 3000)}\t${Math.floor(rand() * 3000)}\t${on}\t${on + 40 + Math.floor(rand() * 60)}`);
  }
  t.couriers = couriers.join('\n') + '\n';
  return t;
}

describe('simulateInstance', () => {
  it('is deterministic, valid, and never picks up after a shift ends, on random busy instances', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const instance = parseInstance(`random-${seed}`, randomInstanceTexts(seed));
      const a = runInstance(instance, dispatchConfig());
      const b = runInstance(instance, dispatchConfig());
      expect(a.texts).toEqual(b.texts);
      expect(a.violations).toEqual([]);
      const off = new Map(instance.couriers.map((c) => [c.id, c.offTime]));
      const result = simulateInstance(instance, dispatchConfig());
      expect(result.assignments.length).toBeGreaterThan(0);
      for (const asg of result.assignments) expect(asg.pickupAt).toBeLessThanOrEqual(off.get(asg.courierId)!);
    }
  });

  it('moves couriers to restaurants only to pick up when prepositioning is off', () => {
    const instance = parseInstance('tiny', tinyInstanceTexts());
    const result = simulateInstance(instance, dispatchConfig({ prepositionEnabled: false }));
    for (const moves of result.moves.values()) {
      moves.forEach((m, i) => {
        if (instance.restaurants.has(m.destination)) expect(moves[i + 1]?.origin).toBe(m.destination);
      });
    }
    // with it on, c1 goes back to r1 (recent demand) before o5 and o6 are placed
    const prep = simulateInstance(instance, dispatchConfig()).moves.get('c1')!;
    const move = { courierId: 'c1', departAt: 45, origin: 'o2', destination: 'r1' };
    expect(prep).toContainEqual(move);
    expect(result.moves.get('c1')).not.toContainEqual(move);
  });
});

describe('writing solutions', () => {
  it('writes into a new folder in one step and replaces files in an existing one, leaving no temp files', () => {
    const out = path.join(tmp, 'out');
    writeFilesAtomically(out, { 'a.txt': 'one\n', 'b.txt': 'two\n' });
    expect(readdirSync(out).sort()).toEqual(['a.txt', 'b.txt']);
    writeFilesAtomically(out, { 'a.txt': 'three\n' });
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('three\n');
    expect(readFileSync(path.join(out, 'b.txt'), 'utf8')).toBe('two\n');
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('refuses to write a solution that breaks a rule, leaving the old files untouched', () => {
    const instance = parseInstance('tiny', tinyInstanceTexts());
    const run = runInstance(instance, dispatchConfig());
    const out = path.join(tmp, 'kept');
    mkdirSync(out);
    writeFileSync(path.join(out, 'solution_info_orders.txt'), 'old\n');
    const broken = { ...run, violations: [{ rule: 'order-once' as const, file: 'x', line: 1, message: 'test' }] };
    expect(() => writeSolution(broken, out)).toThrow(/invalid solution/);
    expect(readdirSync(out)).toEqual(['solution_info_orders.txt']);
    expect(readFileSync(path.join(out, 'solution_info_orders.txt'), 'utf8')).toBe('old\n');
  });
});
