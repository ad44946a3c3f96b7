import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The dispatch service's Prometheus metrics (names are read by dashboards and tests: keep them). */
export function createDispatchMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    decisions: new Counter({ name: 'dispatch_decisions_total', help: 'Decisions published', labelNames: ['kind'] as const, registers }),
    failures: new Counter({ name: 'dispatch_publish_failures_total', help: 'Decisions that could not be published', registers }),
    openOrders: new Gauge({ name: 'dispatch_open_orders', help: 'Orders known and not yet assigned', registers }),
    riders: new Gauge({ name: 'dispatch_riders_on_shift', help: 'Riders the dispatcher knows to be on shift', registers }),
    simTime: new Gauge({ name: 'dispatch_sim_time_ms', help: 'Simulated time (newest event timestamp)', registers }),
    roundSeconds: new Histogram({ name: 'dispatch_round_seconds', help: 'Wall time of one dispatch round', buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2], registers }),
  };
}

export type DispatchMetrics = ReturnType<typeof createDispatchMetrics>;
