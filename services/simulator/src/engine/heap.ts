/** Binary min-heap ordered by (at, prio, seq): equal times resolve by priority, then insertion order — deterministic. */
export interface Timed { at: number; prio: number; seq: number }

export class MinHeap<T extends Timed> {
  private items: T[] = [];
  get size(): number { return this.items.length; }
  peek(): T | undefined { return this.items[0]; }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(item, a[p])) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        if (l >= n) break;
        const c = r < n && less(a[r], a[l]) ? r : l;
        if (!less(a[c], last)) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

function less(x: Timed, y: Timed): boolean {
  return x.at < y.at || (x.at === y.at && (x.prio < y.prio || (x.prio === y.prio && x.seq < y.seq)));
}
