/** Polls `fn` every 50 ms until it gives a truthy value; fails naming `what` after `ms`. */
export async function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
