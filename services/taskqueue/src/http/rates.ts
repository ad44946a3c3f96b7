// Rates from cumulative counters over a sliding window, as the management API reports them
// ("publish_details": {"rate": 12.5}). Snapshots are taken once a second; a rate is the growth
// between the oldest snapshot in the window and now.

export class RateWindow {
  private readonly snapshots: Array<{ at: number; values: Map<string, number> }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly read: () => Map<string, number>, private readonly windowMs = 5000, intervalMs = 1000) {
    this.snapshot();
    this.timer = setInterval(() => this.snapshot(), intervalMs);
    this.timer.unref();
  }

  private snapshot(): void {
    const now = Date.now();
    this.snapshots.push({ at: now, values: this.read() });
    while (this.snapshots.length > 1 && now - this.snapshots[0].at > this.windowMs) this.snapshots.shift();
  }

  /** per-second rate of counter `key` whose current value is `current` */
  rate(key: string, current: number): number {
    const oldest = this.snapshots[0];
    if (!oldest) return 0;
    const dt = (Date.now() - oldest.at) / 1000;
    if (dt <= 0) return 0;
    const before = oldest.values.get(key) ?? 0;
    return Math.max(0, Math.round(((current - before) / dt) * 10) / 10);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
