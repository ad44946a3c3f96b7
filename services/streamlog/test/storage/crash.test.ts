import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogEngine, type LogEngine } from '../../src/storage/index.js';
import { removeDir, tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'fixtures', 'crash-appender.ts');
/** `--import tsx` resolves from the working directory: the repository root, where tsx is installed */
const repoRoot = path.resolve(here, '../../../..');

let dir: string;
let engine: LogEngine | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await engine?.close();
  removeDir(dir);
});

interface Ack {
  base: number;
  next: number;
  tag: string;
}

/** runs the appender child until it has acknowledged `minAcks` appends, then SIGKILLs it */
function runAndKill(run: string, minAcks: number, whileRunning?: () => Promise<void>): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, run], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    const deadline = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child acknowledged only ${acks.length} appends in time; stderr: ${stderr}`));
    }, 20_000);
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+) (\d+) (\S+)$/.exec(line);
        if (m) acks.push({ base: Number(m[1]), next: Number(m[2]), tag: m[3] });
      }
      if (!killed && acks.length >= minAcks) {
        killed = true;
        const check = whileRunning ? whileRunning() : Promise.resolve();
        check.then(
          () => proc.kill('SIGKILL'),
          (err) => {
            proc.kill('SIGKILL');
            reject(err);
          },
        );
      }
    });
    proc.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own (${signal}); stderr: ${stderr}`));
      else resolve(acks); // lines that reached us before death are acknowledged appends too
    });
  });
}

describe('crash safety', () => {
  it('every fsync-acknowledged append survives SIGKILL mid-stream, in order, and the log accepts new writes', async () => {
    // while the child runs, its data directory is locked against a second engine
    const first = await runAndKill('r1', 300, async () => {
      await expect(openLogEngine({ dataDir: dir })).rejects.toMatchObject({ kafkaError: 'KAFKA_STORAGE_ERROR', message: expect.stringMatching(/in use by process/) });
    });
    const second = await runAndKill('r2', 150); // a second crash on top of a recovered log
    const acks = [...first, ...second];
    expect(acks.length).toBeGreaterThanOrEqual(450);

    engine = await openLogEngine({ dataDir: dir });
    const log = engine.partition('crash', 0)!;
    const maxAcked = Math.max(...acks.map((a) => a.next));
    expect(Number(log.highWatermark)).toBeGreaterThanOrEqual(maxAcked);
    const all = log.readRecords(0n, Number(log.highWatermark));
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: Number(log.highWatermark) }, (_, i) => BigInt(i)));
    for (const a of acks) {
      const got = all.slice(a.base, a.next).map((r) => r.value!.toString().replace(/\.+$/, ''));
      expect(got).toEqual(Array.from({ length: a.next - a.base }, (_, i) => `${a.tag}-${i}`));
    }
    // each appender's acknowledged sequence numbers appear in increasing offset order
    for (const appender of ['r1a0', 'r1a1', 'r1a2', 'r1a3', 'r2a0', 'r2a1', 'r2a2', 'r2a3']) {
      const seqs = acks.filter((a) => a.tag.startsWith(`${appender}-`)).sort((x, y) => x.base - y.base).map((a) => Number(a.tag.split('-')[1]));
      expect(seqs.length, appender).toBeGreaterThan(0);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    const res = await log.append([{ key: null, value: Buffer.from('after'), timestamp: 1n }], 'fsync');
    expect(res.baseOffset).toBe(log.highWatermark - 1n);
  });
});
