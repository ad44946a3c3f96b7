// The dashboard's own /metrics (prom-client), scraped once a second by the benchmark: frames it
// sent, event-loop delay (prom-client resets its histogram at every scrape, so each scrape covers
// the second before it) and time spent in garbage collection.

export interface GatewayMetrics {
  at: number;
  framesSent: number | null;
  /** event-loop delay over the last scrape interval, seconds */
  loopP99: number | null;
  loopMax: number | null;
  /** cumulative seconds in GC, all kinds */
  gcSeconds: number;
}

export async function scrapeGateway(url: string): Promise<GatewayMetrics | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const one = (name: string) => {
      const m = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    };
    let gcSeconds = 0;
    for (const m of text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} ([\d.e+-]+)$/gm)) gcSeconds += Number(m[1]);
    return { at: Date.now(), framesSent: one('dashboard_frames_sent_total'), loopP99: one('nodejs_eventloop_lag_p99_seconds'), loopMax: one('nodejs_eventloop_lag_max_seconds'), gcSeconds };
  } catch {
    return null;
  }
}
