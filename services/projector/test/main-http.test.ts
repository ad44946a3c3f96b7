import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWithHost } from '@riderflow/service-kit/testing';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { sqliteTestDatabase, waitFor, type TestDatabase } from '@riderflow/db/testing';

// `npm run projector` serves /healthz and /metrics like the other services, and like the brokers
// and the dashboard answers only the Host names it serves (DNS rebinding): 421 for any other.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('npm run projector', () => {
  let dir: string;
  let log: StreamlogHandle;
  let testDb: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-projector-main-'));
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
    testDb = await sqliteTestDatabase();
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await testDb?.drop();
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz and /metrics to loopback and ALLOWED_HOSTS names, 421 to a foreign Host, and stops on SIGTERM', async () => {
    const lines: string[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', 'services/projector/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: log.brokers, DATABASE_URL: testDb.url, PROJECTOR_HTTP_PORT: '0', LOG_LEVEL: 'info', ALLOWED_HOSTS: 'projector.example' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    const started = () => lines.map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } }).find((l) => l.msg === 'projector started');
    await waitFor('projector started', () => !!started(), 90_000, () => lines.slice(-5).join('\n'));
    const port = started()!.httpPort as number;
    expect(port).toBeGreaterThan(0);
    for (const p of ['/healthz', '/metrics']) {
      const foreign = await getWithHost(port, `evil.example:${port}`, p);
      expect(foreign.status).toBe(421);
      expect(foreign.body).toContain('ALLOWED_HOSTS');
      expect((await getWithHost(port, `127.0.0.1:${port}`, p)).status).toBe(200);
      expect((await getWithHost(port, `localhost:${port}`, p)).status).toBe(200);
      expect((await getWithHost(port, `projector.example:${port}`, p)).status).toBe(200);
    }
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  }, 120_000);
});
