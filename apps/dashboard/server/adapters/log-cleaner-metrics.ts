// The log cleaner's dirty ratio per partition, from the log's Prometheus endpoint: Kafka's APIs
// (DescribeConfigs, DescribeLogDirs) say a topic is compacted but not how much is left to clean;
// streamlog publishes it as `streamlog_log_cleaner_dirty_ratio{topic,partition}` on /metrics.

const METRIC = 'streamlog_log_cleaner_dirty_ratio';

/** partition → dirty ratio (0..1) of `topic`, from Prometheus text */
export function parseDirtyRatios(text: string, topic: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels = new Map([...line.slice(METRIC.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const value = Number(line.slice(close + 1).trim());
    if (labels.get('topic') === topic && Number.isFinite(value)) out.set(Number(labels.get('partition')), value);
  }
  return out;
}

export async function readDirtyRatios(metricsUrl: string, topic: string, timeoutMs = 3_000): Promise<Map<number, number>> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${metricsUrl} answered ${res.status}`);
  return parseDirtyRatios(await res.text(), topic);
}
