import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The rostering service's Prometheus metrics (names are read by the dashboard and tests: keep them). */
export function createRosteringMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    events: new Counter({ name: 'rostering_events_total', help: 'Events folded into demand history', labelNames: ['type', 'phase'], registers }),
    plans: new Counter({ name: 'rostering_plans_total', help: 'roster.plan events published', registers }),
    moves: new Counter({ name: 'rostering_moves_total', help: 'Reposition instructions sent', registers }),
    callIns: new Counter({ name: 'rostering_call_in_riders_total', help: 'Riders asked for in call-in requests', registers }),
    shiftsBooked: new Counter({ name: 'rostering_shifts_booked_total', help: 'Shift bookings sent (roster.shift)', registers }),
    planSeconds: new Histogram({ name: 'rostering_plan_seconds', help: 'Wall time of one planning step', buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 1, 5], registers }),
    needed: new Gauge({ name: 'rostering_riders_needed', help: 'Riders needed per zone in the last plan', labelNames: ['zone'], registers }),
    present: new Gauge({ name: 'rostering_riders_present', help: 'Riders present per zone in the last plan', labelNames: ['zone'], registers }),
    forecast: new Gauge({ name: 'rostering_forecast_orders', help: 'Forecast orders per zone over the plan window', labelNames: ['zone'], registers }),
    usingModel: new Gauge({ name: 'rostering_forecast_model_loaded', help: '1 when the TensorFlow.js model forecasts, 0 when a baseline does', registers }),
    retrains: new Counter({ name: 'rostering_retrains_total', help: 'Retrain jobs', labelNames: ['result'], registers }),
  };
}

export type RosteringMetrics = ReturnType<typeof createRosteringMetrics>;
