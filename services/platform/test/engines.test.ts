import { describe, it, expect } from 'vitest';
import { loadPlatformConfig } from '../src/platform-config.js';
import { defaultManagementUrl, describeEngines, redact, selectEngines } from '../src/engines.js';
import { platformServices } from '../src/services.js';
import { vhostOf } from '@riderflow/service-kit';

const names = (env: Record<string, string>) => platformServices(loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', ...env })).specs.map((s) => s.name);

describe('engine selection: switching runtime changes URLs, never code', () => {
  it('runs everything embedded by default', () => {
    const config = loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', STREAMLOG_PORT: '19001', TASKQUEUE_PORT: '19002', TASKQUEUE_HTTP_PORT: '19003' });
    const e = selectEngines(config, '/tmp/rf-x/riderflow.db');
    expect(e.embedded).toEqual({ streamlog: true, taskqueue: true });
    expect(e.database).toBe('sqlite');
    expect(e.env).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19001',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:19002',
      AMQP_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:19003',
      DATABASE_URL: 'file:/tmp/rf-x/riderflow.db',
    });
    expect(names({})).toContain('streamlog');
    expect(names({})).toContain('taskqueue');
  });

  it('an external AMQP broker replaces taskqueue and reaches every service', () => {
    const env = { AMQP_URL: 'amqp://rf:secret@rabbit:5672/riderflow', AMQP_MANAGEMENT_URL: 'http://rf:secret@rabbit:15672' };
    const { specs, env: childEnv, engines } = platformServices(loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', ...env }));
    expect(specs.map((s) => s.name)).not.toContain('taskqueue');
    expect(specs.map((s) => s.name)).toContain('streamlog');
    expect(engines.embedded).toEqual({ streamlog: true, taskqueue: false });
    expect(childEnv.AMQP_URL).toBe(env.AMQP_URL);
    expect(childEnv.AMQP_MANAGEMENT_URL).toBe(env.AMQP_MANAGEMENT_URL);
    // The dashboard, consumers and simulator still start, in the same order.
    expect(specs.map((s) => s.name)).toEqual(['dashboard', 'streamlog', 'migrate', 'history', 'train', 'projector', 'dispatch', 'notifier', 'rostering', 'simulator']);
  });

  it('derives the management URL from the AMQP URL when only that is given', () => {
    expect(selectEngines(loadPlatformConfig({ AMQP_URL: 'amqp://u:p@mq.local:5672/v1' }), 'x.db').env.AMQP_MANAGEMENT_URL).toBe('http://u:p@mq.local:15672');
    expect(defaultManagementUrl('amqps://mq.local')).toBe('https://guest:guest@mq.local:15671');
  });

  it('external Kafka replaces streamlog; the simulator and history read the same brokers', () => {
    const { specs, env } = platformServices(loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' }));
    expect(specs.map((s) => s.name)).not.toContain('streamlog');
    expect(specs.map((s) => s.name)).toContain('taskqueue');
    expect(env.KAFKA_BROKERS).toBe('kafka-1:9092, kafka-2:9092');
  });

  it('all external: no embedded broker at all, and a PostgreSQL DATABASE_URL passes through', () => {
    const url = 'postgresql://postgres@db:5432/riderflow';
    const { specs, env, engines } = platformServices(loadPlatformConfig({ DATA_DIR: '/tmp/rf-x', KAFKA_BROKERS: 'kafka:9092', AMQP_URL: 'amqp://guest:guest@rabbit:5672', DATABASE_URL: url }));
    expect(specs.map((s) => s.name)).toEqual(['dashboard', 'migrate', 'history', 'train', 'projector', 'dispatch', 'notifier', 'rostering', 'simulator']);
    expect(env.DATABASE_URL).toBe(url);
    expect(engines.database).toBe('postgresql');
    // No spec overrides the shared URLs for itself.
    for (const s of specs) expect(Object.keys(s.env ?? {}).filter((k) => k in env)).toEqual([]);
  });

  it('a SQLite file elsewhere passes through as given', () => {
    const e = selectEngines(loadPlatformConfig({ DATABASE_URL: 'file:/var/lib/rf.db' }), '/unused.db');
    expect(e.env.DATABASE_URL).toBe('file:/var/lib/rf.db');
    expect(e.database).toBe('sqlite');
  });

  it('says which engines are external, without passwords', () => {
    const e = selectEngines(loadPlatformConfig({ AMQP_URL: 'amqp://guest:hunter2@rabbit:5672/rf', DATABASE_URL: 'postgres://app:hunter2@db/rf' }), '/d/riderflow.db');
    const lines = describeEngines(e).join('\n');
    expect(lines).toMatch(/event log: embedded streamlog/);
    expect(lines).toMatch(/task queues: EXTERNAL .*rabbit:5672\/rf.*taskqueue not started/);
    expect(lines).toMatch(/database: EXTERNAL PostgreSQL/);
    expect(lines).not.toContain('hunter2');
    expect(redact('amqp://guest:hunter2@rabbit')).toBe('amqp://guest:***@rabbit');
  });

  it('rejects URLs of the wrong kind by name', () => {
    expect(() => loadPlatformConfig({ AMQP_URL: 'http://rabbit' })).toThrow(/AMQP_URL/);
    expect(() => loadPlatformConfig({ DATABASE_URL: 'mysql://db' })).toThrow(/DATABASE_URL/);
    expect(() => loadPlatformConfig({ KAFKA_BROKERS: 'kafka' })).toThrow(/KAFKA_BROKERS/);
    // Empty means unset: embedded.
    expect(selectEngines(loadPlatformConfig({ AMQP_URL: '', KAFKA_BROKERS: '' }), 'x.db').embedded).toEqual({ streamlog: true, taskqueue: true });
  });
});

describe('the walkthrough on a vhost of its own', () => {
  it('reads the vhost from the AMQP URL, "/" when none is named', () => {
    expect(vhostOf('amqp://guest:guest@127.0.0.1:5672')).toBe('/');
    expect(vhostOf('amqp://guest:guest@127.0.0.1:5672/')).toBe('/');
    expect(vhostOf('amqp://guest:guest@127.0.0.1:5672/rf-dist-1')).toBe('rf-dist-1');
    expect(vhostOf('amqp://guest:guest@127.0.0.1:5672/%2F')).toBe('/');
    expect(vhostOf('amqp://h/team%2Fa')).toBe('team/a');
  });
});
