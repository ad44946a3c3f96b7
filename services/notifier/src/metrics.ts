import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface NotifierMetrics {
  registry: Registry;
  outcomes: Counter<'status'>;
  providerCalls: Counter<'channel' | 'result'>;
  handleSeconds: Histogram<'status'>;
}

/** Prometheus metrics for one notifier process (its own registry, so tests can run several). */
export function createNotifierMetrics(options: { defaults?: boolean } = {}): NotifierMetrics {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    outcomes: new Counter({ name: 'notifier_tasks_total', help: 'Tasks handled, by outcome (sent, duplicate, retried, dead_lettered, invalid, deferred)', labelNames: ['status'], registers: [registry] }),
    providerCalls: new Counter({ name: 'notifier_provider_calls_total', help: 'Provider requests by channel and result (sent, deduplicated, failed)', labelNames: ['channel', 'result'], registers: [registry] }),
    handleSeconds: new Histogram({ name: 'notifier_handle_seconds', help: 'Time to handle one task', labelNames: ['status'], buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10], registers: [registry] }),
  };
}
