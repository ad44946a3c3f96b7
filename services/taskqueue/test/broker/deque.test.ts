import { describe, expect, it } from 'vitest';
import { Deque } from '../../src/broker/deque.js';

describe('Deque', () => {
  it('pushes, shifts and unshifts across growth and wrap-around', () => {
    const d = new Deque<number>(4);
    for (let i = 0; i < 10; i++) d.push(i);
    for (let i = 0; i < 7; i++) expect(d.shift()).toBe(i);
    for (let i = 10; i < 20; i++) d.push(i);
    d.unshift(6);
    expect(d.toArray()).toEqual([6, 7, 8, 9, ...Array.from({ length: 10 }, (_, i) => 10 + i)]);
    expect(d.length).toBe(14);
    expect(d.peek(1)).toBe(7);
    expect(d.peek(14)).toBeUndefined();
  });

  it('insertSorted keeps order wherever the item belongs, wrapped or not', () => {
    const id = (n: number) => n;
    for (const start of [0, 3, 13]) {
      const d = new Deque<number>(16);
      for (let i = 0; i < start; i++) d.push(-1);
      for (let i = 0; i < start; i++) d.shift(); // move head to exercise wrap-around
      for (const n of [10, 20, 30, 40, 50, 60]) d.push(n);
      for (const n of [35, 5, 65, 11, 59, 20, 36, 37, 38, 39, 41]) d.insertSorted(n, id);
      const arr = d.toArray();
      expect(arr).toEqual([...arr].sort((a, b) => a - b));
      expect(arr).toHaveLength(17);
    }
  });

  it('removeWhere and clear', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 6; i++) d.push(i);
    expect(d.removeWhere((n) => n % 2 === 0)).toEqual([0, 2, 4]);
    expect([...d]).toEqual([1, 3, 5]);
    expect(d.clear()).toEqual([1, 3, 5]);
    expect(d.length).toBe(0);
    expect(d.shift()).toBeUndefined();
  });
});
