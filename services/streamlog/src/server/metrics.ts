import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one broker instance (own registry, so several brokers can share a process in tests). */
export class BrokerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'streamlog_requests_total', help: 'Requests handled, by API', labelNames: ['api'], registers: [this.registry] });
  readonly connections = new Gauge({ name: 'streamlog_connections', help: 'Open client connections', registers: [this.registry] });
  readonly closedConnections = new Counter({
    name: 'streamlog_connections_closed_total',
    help: 'Connections closed, by reason kind',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({ name: 'streamlog_bytes_in_total', help: 'Request bytes received', registers: [this.registry] });
  readonly bytesOut = new Counter({ name: 'streamlog_bytes_out_total', help: 'Response bytes sent', registers: [this.registry] });
  readonly recordsProduced = new Counter({ name: 'streamlog_records_produced_total', help: 'Records appended by Produce', registers: [this.registry] });
  readonly recordsFetchedBytes = new Counter({ name: 'streamlog_fetch_bytes_total', help: 'Record bytes returned by Fetch', registers: [this.registry] });

  constructor(withProcessMetrics = false) {
    // process_cpu_seconds_total and process_resident_memory_bytes for the one broker of a process
    if (withProcessMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'streamlog_' });
      new Gauge({
        name: 'streamlog_process_peak_rss_bytes',
        help: 'Peak resident set size of this process',
        registers: [this.registry],
        collect() {
          this.set(process.resourceUsage().maxRSS * 1024);
        },
      });
    }
  }

  /**
   * The log cleaner's dirty ratio per compacted partition (the share of sealed bytes not cleaned
   * yet, what min.cleanable.dirty.ratio is compared with), read when /metrics is scraped — as
   * Kafka's LogCleanerManager reports its dirty percentages through metrics.
   */
  watchDirtyRatios(read: () => Iterable<{ topic: string; partition: number; ratio: number }>): void {
    new Gauge({
      name: 'streamlog_log_cleaner_dirty_ratio',
      help: 'Share of a compacted partition\'s sealed bytes not cleaned yet',
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const r of read()) this.set({ topic: r.topic, partition: String(r.partition) }, r.ratio);
      },
    });
  }
}
