import { describe, expect, it } from 'vitest';
import { TopicMatcher } from '../../src/broker/topic-matcher.js';

function matches(bindingKey: string, routingKey: string): boolean {
  const m = new TopicMatcher<string>();
  m.add(bindingKey, 'q');
  return m.match(routingKey).includes('q');
}

describe('topic matching', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.b.c', 'a.b', false],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.c', false],
    ['a.*.c', 'a.b.b.c', false],
    ['a.#', 'a', true],
    ['a.#', 'a.b.c', true],
    ['#.c', 'c', true],
    ['#.c', 'a.b.c', true],
    ['#.c', 'a.b.cd', false],
    ['a.#.c', 'a.c', true],
    ['a.#.c', 'a.x.y.c', true],
    ['a.#.c', 'a.x.y.d', false],
    ['#', '', true],
    ['#', 'anything.at.all', true],
    ['*', '', true],
    ['*', 'a', true],
    ['*', 'a.b', false],
    ['', '', true],
    ['', 'a', false],
    ['#.#', 'a.b', true],
    ['*.#', '', true],
    ['*.*', 'a', false],
    ['a.*.#', 'a', false],
    ['a.*.#', 'a.b', true],
    ['#.*.c', 'c', false],
    ['#.*.c', 'b.c', true],
    ['a..b', 'a..b', true],
    ['a.*.b', 'a..b', true],
  ])('binding %j vs routing key %j → %s', (b, r, expected) => {
    expect(matches(b, r)).toBe(expected);
  });

  it('returns each destination once and forgets removed bindings', () => {
    const m = new TopicMatcher<string>();
    m.add('rider.#', 'q1');
    m.add('rider.*.location', 'q1');
    m.add('#', 'q2');
    expect(m.match('rider.7.location').sort()).toEqual(['q1', 'q2']);
    m.remove('rider.#', 'q1');
    expect(m.match('rider.7.location').sort()).toEqual(['q1', 'q2']);
    m.remove('rider.*.location', 'q1');
    expect(m.match('rider.7.location')).toEqual(['q2']);
  });
});
