import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// The distributed runtime cannot be booted here (no Docker engine), so its file is checked two
// ways: Docker Compose's own validator, and the wiring that the services depend on.
const root = new URL('..', import.meta.url).pathname;
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown>; deploy?: { replicas?: number }; image?: string; build?: string }>;
};
const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('docker-compose.yml', () => {
  it.skipIf(!hasDockerCompose())('passes docker-compose config validation', () => {
    expect(() => execFileSync('docker-compose', ['-f', `${root}docker-compose.yml`, 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });

  it('runs the real engines: Kafka in KRaft mode, RabbitMQ with management, PostgreSQL', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:/);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.rabbitmq.image).toMatch(/^rabbitmq:.*management/);
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
  });

  const own = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

  it('builds every Riderflow service from this repository and runs an existing npm script', () => {
    expect(own.map(([name]) => name).sort()).toEqual(['dashboard', 'dispatch', 'migrate', 'notifier', 'projector', 'rostering', 'simulator']);
    for (const [name, service] of own) {
      const [npm, run, script] = service.command ?? [];
      expect([npm, run], name).toEqual(['npm', 'run']);
      expect(scripts[script!], `${name} runs npm script ${script}`).toBeDefined();
    }
  });

  it('wires each service to the engines by URL only', () => {
    for (const [name, service] of own.filter(([n]) => n !== 'migrate')) {
      const env = service.environment ?? {};
      expect(env.KAFKA_BROKERS, name).toBe('kafka:9092');
      expect(env.AMQP_URL, name).toBe('amqp://guest:guest@rabbitmq:5672');
      expect(env.DATABASE_URL, name).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
      expect(Object.keys(service.depends_on ?? {}).sort(), name).toEqual(['kafka', 'migrate', 'postgres', 'rabbitmq']);
    }
    expect(compose.services.migrate.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
  });

  it('shows horizontal scaling for at least one consumer service', () => {
    const scaled = own.filter(([, s]) => (s.deploy?.replicas ?? 1) > 1).map(([n]) => n);
    expect(scaled.length).toBeGreaterThan(0);
  });
});
