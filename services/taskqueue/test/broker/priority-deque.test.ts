// The priority ready list against a plain model: highest priority first, FIFO within a priority,
// ordered reinsertion within a priority, peek by position, clear in delivery order.

import { describe, expect, it } from 'vitest';
import { cappedPriority, PriorityDeque } from '../../src/broker/priority-deque.js';

interface Item {
  id: number;
  p: number;
}

describe('PriorityDeque', () => {
  it('matches a sorted model through random pushes, shifts and reinsertions', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const d = new PriorityDeque<Item>(255, (it) => it.p);
    let model: Item[] = [];
    const order = (a: Item, b: Item) => b.p - a.p || a.id - b.id;
    let next = 0;
    for (let step = 0; step < 5000; step++) {
      const op = rand(10);
      if (op < 5) {
        const it = { id: next++, p: rand(4) === 0 ? rand(256) : rand(3) };
        d.push(it);
        model.push(it);
      } else if (op < 8) {
        model.sort(order);
        expect(d.shift()).toEqual(model.shift());
      } else if (model.length > 0) {
        // take one out and put it back by id, as a requeue does
        model.sort(order);
        const it = d.shift()!;
        expect(it).toEqual(model.shift());
        d.insertSorted(it, (x) => x.id);
        model.push(it);
      }
      model.sort(order);
      expect(d.length).toBe(model.length);
      if (model.length > 0) expect(d.peek(model.length - 1)).toEqual(model[model.length - 1]);
    }
    model.sort(order);
    expect(d.clear()).toEqual(model);
    expect(d.length).toBe(0);
    model = [];
    expect(d.shift()).toBeUndefined();
  });

  it('caps message priorities to the queue maximum; none or negative is 0', () => {
    expect(cappedPriority(undefined, 5)).toBe(0);
    expect(cappedPriority(-3, 5)).toBe(0);
    expect(cappedPriority(3, 5)).toBe(3);
    expect(cappedPriority(9, 5)).toBe(5);
  });
});
