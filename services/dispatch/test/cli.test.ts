import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InstanceError, loadInstance, parseInstance } from '../src/mdrp/instance.js';
import { SOLUTION_FILES } from '../src/mdrp/solution.js';
import { validateSolution } from '../src/mdrp/validate.js';
import { GREEDY, strandInstanceTexts } from './strand-instance.js';
import { tinyInstanceTexts, writeInstance } from './tiny-instance.js';
import { twoLateInstanceTexts } from './two-late-instance.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const MAIN = path.join(repoRoot, 'services/dispatch/src/mdrp/main.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rf-dispatch-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes the tiny instance with one file changed; returns its folder. */
function instanceWith(name: string, change: (t: ReturnType<typeof tinyInstanceTexts>) => void): string {
  const texts = tinyInstanceTexts();
  change(texts);
  const dir = path.join(tmp, name);
  writeInstance(dir, texts);
  return dir;
}

function loadError(dir: string): InstanceError {
  try {
    loadInstance(dir);
  } catch (err) {
    if (err instanceof InstanceError) return err;
    throw err;
  }
  throw new Error('expected an InstanceError');
}

describe('instance input errors name the file and line', () => {
  it('bad header', () => {
    const dir = instanceWith('bad-header', (t) => (t.orders = t.orders.replace('placement_time', 'placed')));
    expect(loadError(dir).message).toMatch(/orders\.txt line 1: bad header/);
  });
  it('unknown restaurant', () => {
    const dir = instanceWith('unknown-restaurant', (t) => (t.orders = t.orders.replace('o3\t2000\t1000\t15\tr2', 'o3\t2000\t1000\t15\tr7')));
    expect(loadError(dir).message).toMatch(/orders\.txt line 4: unknown restaurant 'r7'/);
  });
  it('negative time', () => {
    const dir = instanceWith('negative', (t) => (t.couriers = t.couriers.replace('c2\t2000\t300\t0', 'c2\t2000\t300\t-5')));
    expect(loadError(dir).message).toMatch(/couriers\.txt line 3: on_time -5 is negative/);
  });
  it('non-numeric time', () => {
    const dir = instanceWith('non-numeric', (t) => (t.orders = t.orders.replace('o5\t0\t-1000\t60', 'o5\t0\t-1000\tsoon')));
    expect(loadError(dir).message).toMatch(/orders\.txt line 6: placement_time 'soon' is not a number/);
  });
  it('wrong number of values and missing file', () => {
    const dir = instanceWith('short-row', (t) => (t.restaurants = t.restaurants.replace('r2\t2000\t0', 'r2\t2000')));
    expect(loadError(dir).message).toMatch(/restaurants\.txt line 3: expected 3 tab-separated values, found 2/);
    const missing = instanceWith('missing', () => {});
    unlinkSync(path.join(missing, 'couriers.txt'));
    expect(loadError(missing).message).toMatch(/couriers\.txt: file is missing/);
  });
});

describe('npm run mdrp', () => {
  it('runs a tiny instance end to end and writes the three files, which the validator accepts', async () => {
    const dir = instanceWith('ok', () => {});
    const out = path.join(tmp, 'out-ok');
    const { code, stdout, stderr } = await runCli(['--instance', dir, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/orders delivered\s+6 of 6/);
    expect(stdout).toMatch(/click-to-door\s+mean [\d.]+ min, p90 [\d.]+ min/);
    expect(stdout).toMatch(/cost per order\s+\$[\d.]+ \(lower bound \$[\d.]+\)/);
    expect(readdirSync(out).sort()).toEqual(Object.values(SOLUTION_FILES).sort());
    const texts = {
      assignments: readFileSync(path.join(out, SOLUTION_FILES.assignments), 'utf8'),
      orders: readFileSync(path.join(out, SOLUTION_FILES.orders), 'utf8'),
      couriers: readFileSync(path.join(out, SOLUTION_FILES.couriers), 'utf8'),
    };
    expect(texts.orders.split('\n')[0]).toBe('order placement_time ready_time pickup_time dropoff_time courier');
    expect(texts.orders.split('\n').filter((l) => l !== '')).toHaveLength(7);
    expect(validateSolution(parseInstance('ok', tinyInstanceTexts()), texts).violations).toEqual([]);
  });

  it('fails with the file and line on bad input and writes nothing', async () => {
    const dir = instanceWith('cli-bad', (t) => (t.orders = t.orders.replace('o2\t100\t1000\t12\tr1\t20', 'o2\t100\t1000\t12\tr1\tx')));
    const out = path.join(tmp, 'out-bad');
    const { code, stderr } = await runCli(['--instance', dir, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path.join(dir, 'orders.txt')} line 3: ready_time 'x' is not a number`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --config key that is not a parameter (a typo or a removed option) instead of running the defaults', async () => {
    const dir = instanceWith('cli-strict', () => undefined);
    const config = path.join(tmp, 'unknown-key.json');
    writeFileSync(config, JSON.stringify({ multiTripSlots: 2, minutesPerDollar: 'x' }));
    const out = path.join(tmp, 'out-strict');
    const { code, stderr } = await runCli(['--instance', dir, '--config', config, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${config}: minutesPerDollar: Invalid input: expected number, received string; Unrecognized key: "multiTripSlots"`);
    expect(existsSync(out)).toBe(false);
  });

  it('--all prints one row per instance and the averages, and fails if any instance is bad', async () => {
    const root = path.join(tmp, 'root');
    writeInstance(path.join(root, 'a'), tinyInstanceTexts());
    writeInstance(path.join(root, 'b'), tinyInstanceTexts());
    const good = await runCli(['--all', root]);
    expect(good.code).toBe(0);
    const lines = good.stdout.split('\n');
    expect(lines[0]).toMatch(/^instance\s+delivered/);
    expect(lines.filter((l) => /^(a|b|AVERAGE)\s+6\/6|^AVERAGE\s+12\/12/.test(l))).toHaveLength(3);
    writeFileSync(path.join(root, 'b', 'couriers.txt'), 'courier\tx\n');
    const bad = await runCli(['--all', root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/couriers\.txt line 1: bad header/);
    expect(bad.stdout).toMatch(/^a\s+6\/6/m);
  });
});

describe('npm run mdrp: every undelivered order needs a certificate', () => {
  it('prints the certificate of an order nobody can serve and succeeds', async () => {
    const dir = path.join(tmp, 'strand-ok');
    writeInstance(dir, strandInstanceTexts());
    const { code, stdout, stderr } = await runCli(['--instance', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/orders delivered\s+2 of 3/);
    expect(stdout).toMatch(/certificate strand-ok: order late .*no courier can pick it up by its off_time .*nearest: courier c1 earliest pickup 60 > off_time 40/);
  });

  it('fails when a policy drops an order a courier could have delivered', async () => {
    const dir = path.join(tmp, 'strand-greedy');
    writeInstance(dir, strandInstanceTexts());
    const config = path.join(tmp, 'greedy.json');
    writeFileSync(config, JSON.stringify(GREEDY));
    const { code, stdout, stderr } = await runCli(['--instance', dir, '--config', config]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/orders delivered\s+1 of 3/);
    expect(stdout).toMatch(/certificate strand-greedy: order late /);
    expect(stderr).toMatch(/NO CERTIFICATE strand-greedy: order b .*deliverable — courier c1 could pick it up at 35, off_time 40/);
    expect(stderr).toMatch(/strand-greedy: 1 undelivered order\(s\) could have been delivered/);
    // the joint certificate cannot help: one pickup at 35 serves both
    expect(stderr).toMatch(/no joint certificate: order b: only C = \{c1\} \(1\) can pick up S = \{a b\} \(2: .*the relaxation delivers 2 of 2, the run 1 .*relaxed plan c1: a\+b@35/);
  });

  it('succeeds when the one late courier could serve each of two orders but not both (joint certificate)', async () => {
    const dir = path.join(tmp, 'two-late');
    writeInstance(dir, twoLateInstanceTexts());
    const { code, stdout, stderr } = await runCli(['--instance', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/orders delivered\s+1 of 2/);
    expect(stdout).toMatch(/joint certificate two-late: order [ab]: only C = \{c1\} \(1\) can pick up S = \{a b\} \(2: .*at most K = 1 of 2 can be delivered; the run delivered 1, so its misses \{[ab]\} are unavoidable/);
    expect(stdout).toMatch(/joint certificates two-late: CPU \d+\.\d{3} s/);
  });

  it('--all sorts instances by undelivered share and prints per-instance and per-order averages', async () => {
    const root = path.join(tmp, 'root-sorted');
    writeInstance(path.join(root, 'a-tiny'), tinyInstanceTexts());
    writeInstance(path.join(root, 'b-strand'), strandInstanceTexts());
    const { code, stdout } = await runCli(['--all', root]);
    expect(code).toBe(0);
    const rows = stdout.split('\n').filter((l) => /^(a-tiny|b-strand|AVERAGE|PER ORDER)\s/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/)[0])).toEqual(['b-strand', 'a-tiny', 'AVERAGE', 'PER ORDER']);
    // per instance: (33.33 + 0) / 2; per order: 1 of 9
    expect(rows[2]).toMatch(/^AVERAGE\s+8\/9\s+16\.67\s/);
    expect(rows[3]).toMatch(/^PER ORDER\s+8\/9\s+11\.11\s/);
    expect(stdout).toMatch(/certified minimum undelivered \(no courier can serve\): 1 order\(s\), 16\.67 % per instance, 11\.11 % per order/);
    // the cost lower bound, per instance and per order, each next to the cost it bounds
    const bound = stdout.match(/^cost lower bound .*: \$([\d.]+) per instance \(cost \$([\d.]+); .* \$([\d.]+)\), \$([\d.]+) per order \(cost \$([\d.]+)\)$/m);
    expect(bound).not.toBeNull();
    const [lbInstance, costInstance, naive, lbOrder, costOrder] = bound!.slice(1).map(Number);
    expect(lbInstance).toBeGreaterThanOrEqual(naive);
    expect(lbInstance).toBeLessThanOrEqual(costInstance);
    expect(lbOrder).toBeLessThanOrEqual(costOrder);
  });

  it('--all reports the per-instance wall and CPU time tail, and each instance with MDRP_TIMES', async () => {
    const root = path.join(tmp, 'root-times');
    writeInstance(path.join(root, 'a-tiny'), tinyInstanceTexts());
    writeInstance(path.join(root, 'b-strand'), strandInstanceTexts());
    const { code, stdout } = await runCli(['--all', root], { MDRP_TIMES: '1' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wall: [\d.]+ s for 2 instance\(s\); per instance p95 [\d.]+ s, max [\d.]+ s \((a-tiny|b-strand)\); CPU per instance p95 [\d.]+ s, max [\d.]+ s \((a-tiny|b-strand)\)$/m);
    const times = stdout.split('\n').filter((l) => l.startsWith('time '));
    expect(times.map((l) => l.split(' ')[1])).toEqual(['a-tiny', 'b-strand']);
    for (const l of times) expect(l).toMatch(/^time \S+ \d+\.\d{3} \d+\.\d{3}$/);
  });
});
