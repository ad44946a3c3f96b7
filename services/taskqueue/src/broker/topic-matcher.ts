// Topic exchange matching on a trie of binding-key words, so routing cost depends on the routing
// key's length and the bindings that can match it, not on the total number of bindings.
// "*" matches exactly one word, "#" zero or more; words are separated by ".".

interface Node<D> {
  words: Map<string, Node<D>>;
  star?: Node<D>;
  hash?: Node<D>;
  /** destinations bound with exactly the key that ends here, with a count per binding */
  dests: Map<D, number>;
}

function node<D>(): Node<D> {
  return { words: new Map(), dests: new Map() };
}

export class TopicMatcher<D> {
  private readonly root: Node<D> = node();
  private cache = new Map<string, D[]>();

  add(bindingKey: string, dest: D): void {
    let n = this.root;
    for (const w of bindingKey.split('.')) {
      if (w === '#') n = n.hash ??= node();
      else if (w === '*') n = n.star ??= node();
      else {
        let next = n.words.get(w);
        if (!next) n.words.set(w, (next = node()));
        n = next;
      }
    }
    n.dests.set(dest, (n.dests.get(dest) ?? 0) + 1);
    this.cache.clear();
  }

  remove(bindingKey: string, dest: D): void {
    const path: Node<D>[] = [this.root];
    let n: Node<D> | undefined = this.root;
    for (const w of bindingKey.split('.')) {
      n = w === '#' ? n.hash : w === '*' ? n.star : n.words.get(w);
      if (!n) return;
      path.push(n);
    }
    const c = n.dests.get(dest) ?? 0;
    if (c <= 1) n.dests.delete(dest);
    else n.dests.set(dest, c - 1);
    this.cache.clear();
  }

  match(routingKey: string): D[] {
    const hit = this.cache.get(routingKey);
    if (hit) return hit;
    const out = new Set<D>();
    this.walk(this.root, routingKey.split('.'), 0, out);
    const result = [...out];
    // bounded memo: routing keys repeat a lot (rider.17.instruction), bindings change rarely
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(routingKey, result);
    return result;
  }

  private walk(n: Node<D>, words: string[], i: number, out: Set<D>): void {
    if (n.hash) {
      // "#" swallows zero or more words
      for (let j = i; j <= words.length; j++) this.walk(n.hash, words, j, out);
    }
    if (i === words.length) {
      for (const d of n.dests.keys()) out.add(d);
      return;
    }
    const next = n.words.get(words[i]);
    if (next) this.walk(next, words, i + 1, out);
    if (n.star) this.walk(n.star, words, i + 1, out);
  }
}
