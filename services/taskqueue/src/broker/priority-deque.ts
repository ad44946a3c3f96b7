// The ready list of a priority queue (x-max-priority): one FIFO per priority level, read from
// the highest level down, so messages come out highest priority first and in publish order within
// a priority — RabbitMQ's classic priority queue. Same surface as Deque, so Queue uses either.

import { Deque } from './deque.js';

/** what a queue needs from its ready list; Deque and PriorityDeque both provide it */
export interface ReadyList<T> {
  readonly length: number;
  push(item: T): void;
  shift(): T | undefined;
  peek(index?: number): T | undefined;
  insertSorted(item: T, key: (t: T) => number): void;
  clear(): T[];
}

export class PriorityDeque<T> implements ReadyList<T> {
  /** levels[p] holds priority p; index maxPriority is served first */
  private readonly levels: Deque<T>[];
  private size = 0;
  /** no level above this holds anything (saves scanning 255 empty levels per shift) */
  private top = 0;

  constructor(
    readonly maxPriority: number,
    /** the item's priority, already capped to 0..maxPriority */
    private readonly priorityOf: (item: T) => number,
  ) {
    this.levels = Array.from({ length: maxPriority + 1 }, () => new Deque<T>());
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    const p = this.priorityOf(item);
    this.levels[p]!.push(item);
    this.size++;
    if (p > this.top) this.top = p;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    for (let p = this.top; p >= 0; p--) {
      const level = this.levels[p]!;
      if (level.length > 0) {
        this.top = p;
        this.size--;
        return level.shift();
      }
    }
    return undefined;
  }

  peek(index = 0): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    for (let p = this.top; p >= 0; p--) {
      const level = this.levels[p]!;
      if (index < level.length) return level.peek(index);
      index -= level.length;
    }
    return undefined;
  }

  /** a requeued message goes back to its original position within its own priority */
  insertSorted(item: T, key: (t: T) => number): void {
    const p = this.priorityOf(item);
    this.levels[p]!.insertSorted(item, key);
    this.size++;
    if (p > this.top) this.top = p;
  }

  clear(): T[] {
    const all: T[] = [];
    for (let p = this.maxPriority; p >= 0; p--) all.push(...this.levels[p]!.clear());
    this.size = 0;
    this.top = 0;
    return all;
  }
}

/** a message's priority on a queue with x-max-priority `max`: absent is 0, above max counts as max */
export function cappedPriority(priority: number | undefined, max: number): number {
  if (priority === undefined || !(priority > 0)) return 0;
  return Math.min(max, Math.floor(priority));
}
