import { describe, expect, it } from 'vitest';
import { buildProgram, InputError, parseDuration, resolveOptions } from '../src/cli/options.js';

function resolve(args: string[]) {
  const program = buildProgram({}).exitOverride().configureOutput({ writeErr: () => {} });
  program.parse(args, { from: 'user' });
  return resolveOptions(program);
}

describe('option validation', () => {
  it('has defaults that just work', () => {
    const o = resolve([]);
    expect(o).toMatchObject({ scenario: 'city', speed: 60, riders: 200, zones: 16, brokers: ['127.0.0.1:9092'], amqp: 'amqp://guest:guest@127.0.0.1:5673', history: false, pingIntervalMs: 5000 });
    expect(o.durationMs).toBe(Infinity);
  });

  it('reads values and modes', () => {
    expect(resolve(['--speed', 'max']).speed).toBe(Infinity);
    expect(resolve(['--rate', '20000']).rate).toBe(20000);
    expect(resolve(['--days', '14']).durationMs).toBe(14 * 86_400_000);
    expect(resolve(['--duration', '90m']).durationMs).toBe(90 * 60_000);
    expect(resolve(['--no-amqp']).amqp).toBeNull();
    const h = resolve(['--history']);
    expect(h).toMatchObject({ amqp: null, pingIntervalMs: 60_000, startMs: Date.parse('2025-03-03T00:00:00Z') });
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('2 weeks')).toBeNull();
  });

  const bad: [string[], RegExp][] = [
    [['--riders', 'many'], /--riders must be a whole number/],
    [['--riders', '0'], /--riders must be between 1/],
    [['--riders', '2.5'], /--riders must be a whole number/],
    [['--zones', '100000'], /--zones must be between/],
    [['--speed', 'fast'], /--speed must be a positive number/],
    [['--speed', '-4'], /--speed must be a positive number/],
    [['--rate', '0'], /--rate must be a positive number/],
    [['--duration', 'forever'], /--duration must look like/],
    [['--duration', '1h', '--days', '2'], /either --duration or --days/],
    [['--days', '0'], /--days must be a positive number/],
    [['--start', 'yesterday'], /--start must be an ISO 8601/],
    [['--brokers', 'localhost'], /--brokers: "localhost" is not host:port/],
    [['--amqp', 'http://x'], /--amqp must be an amqp:\/\/ URL/],
    [['--scenario', 'mdrp'], /needs --instance/],
    [['--instance', '/tmp'], /--instance needs --scenario mdrp/],
    [['--scenario', 'mdrp', '--instance', '/tmp', '--riders', '5'], /--riders does not apply/],
    [['--scenario', 'mdrp', '--instance', '/tmp', '--history'], /--history works with --scenario city/],
    [['--scenario', 'mdrp', '--instance', '/tmp', '--resume'], /--resume works with --scenario city only/],
    [['--ping-interval', '0'], /--ping-interval must be a positive number/],
    [['--solution', '/tmp/x'], /--solution needs --scenario mdrp/],
    [['--scenario', 'mdrp', '--instance', '/tmp', '--solution', '/no/such/folder/sol'], /--solution: folder \/no\/such\/folder does not exist/],
    [['--write-handover', '/tmp/h.json'], /--write-handover needs --history/],
    [['--history', '--take-over', '/tmp'], /--take-over is for a live city run/],
    [['--resume', '--take-over', '/tmp'], /--take-over and --resume are alternatives/],
    [['--take-over', '/no/such/handover.json'], /--take-over: \/no\/such\/handover.json does not exist/],
  ];
  it.each(bad)('%j → %s', (args, message) => {
    expect(() => resolve(args)).toThrow(InputError);
    expect(() => resolve(args)).toThrow(message);
  });

  it('commander rejects unknown options and bad choices', () => {
    expect(() => resolve(['--bogus'])).toThrow(/unknown option/);
    expect(() => resolve(['--scenario', 'moon'])).toThrow(/Allowed choices are city, mdrp/);
  });
});
