// A growable ring buffer: O(1) push/shift/unshift, which a queue's ready list needs at publish
// and delivery rates; ordered insertion (requeue at original position) is O(n) but rare.

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(capacity = 16) {
    this.buf = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) % this.buf.length] = item;
    this.size++;
  }

  unshift(item: T): void {
    if (this.size === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.size--;
    return item;
  }

  peek(index = 0): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.buf[(this.head + index) % this.buf.length];
  }

  /**
   * insert keeping ascending order of key(), moving only the elements on the nearer side: a
   * consumer's batch of requeued messages lands near the head, so this stays cheap there
   */
  insertSorted(item: T, key: (t: T) => number): void {
    const k = key(item);
    if (this.size === 0 || k <= key(this.peek(0)!)) return this.unshift(item);
    if (k >= key(this.peek(this.size - 1)!)) return this.push(item);
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(this.peek(mid)!) < k) lo = mid + 1;
      else hi = mid;
    }
    this.insertAt(lo, item);
  }

  private insertAt(index: number, item: T): void {
    if (this.size === this.buf.length) this.grow();
    const cap = this.buf.length;
    if (index < this.size / 2) {
      this.head = (this.head - 1 + cap) % cap;
      for (let i = 0; i < index; i++) this.buf[(this.head + i) % cap] = this.buf[(this.head + i + 1) % cap];
    } else {
      for (let i = this.size; i > index; i--) this.buf[(this.head + i) % cap] = this.buf[(this.head + i - 1) % cap];
    }
    this.buf[(this.head + index) % cap] = item;
    this.size++;
  }

  /** remove every item for which drop() is true, keeping order */
  removeWhere(drop: (t: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (const item of this.toArray()) (drop(item) ? removed : kept).push(item);
    if (removed.length > 0) this.reset(kept);
    return removed;
  }

  clear(): T[] {
    const all = this.toArray();
    this.reset([]);
    return all;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.buf[(this.head + i) % this.buf.length] as T;
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }

  private reset(items: T[]): void {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(items.length + 1)));
    this.buf = new Array(cap);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
    this.size = items.length;
  }

  private grow(): void {
    // reset() sizes the buffer to the next power of two above the current size
    this.reset(this.toArray());
  }
}
