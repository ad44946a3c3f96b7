import type { LogEvent } from '@riderflow/contracts';
import { buildProgram, resolveOptions, buildScenario, Simulation } from '@riderflow/simulator';
import type { ForecastSource } from '@riderflow/rostering';
import { BUCKETS_PER_DAY, bucketOf, type DemandHistory, DEFAULT_HORIZON, dayAheadForecast, smoothDay, type DayForecast } from '@riderflow/rostering/core';

/**
 * The oracle arm's forecasts: the orders the loop's day will really have. The simulator's orders
 * do not depend on what riders do (its determinism test), so running the same world with the
 * same seed and options and no riders' instructions gives exactly the orders the loop will see.
 * Everything else in the oracle arm (booking, moves, call-ins) is the rostering service's own
 * code, as in the ML arm: only the forecast differs.
 */
export interface TrueDemand {
  /** zoneId → bucket → orders created */
  byZone: Map<string, Map<number, number>>;
  city: Map<number, number>;
  firstBucket: number;
  lastBucket: number;
}

export function trueDemand(simArgs: string[]): TrueDemand {
  const program = buildProgram({});
  program.parse([...simArgs, '--no-amqp', '--speed', 'max', '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program, {}));
  const sim = new Simulation(world, settings);
  const byZone = new Map<string, Map<number, number>>();
  const city = new Map<number, number>();
  while (!sim.done) {
    const out: LogEvent[] = [];
    sim.advance(Math.min(settings.endMs, sim.now + 3_600_000), out);
    for (const e of out) {
      if (e.type !== 'order.created') continue;
      const b = bucketOf(e.ts);
      const zone = byZone.get(e.zoneId) ?? new Map<number, number>();
      zone.set(b, (zone.get(b) ?? 0) + 1);
      byZone.set(e.zoneId, zone);
      city.set(b, (city.get(b) ?? 0) + 1);
    }
    if (sim.now >= settings.endMs) break;
  }
  return { byZone, city, firstBucket: bucketOf(settings.startMs), lastBucket: bucketOf(settings.endMs) - 1 };
}

/** Two hours ahead per zone: the true counts. */
export class OracleForecastSource implements ForecastSource {
  readonly kind = 'baseline';
  readonly version = 'oracle';
  readonly horizon = DEFAULT_HORIZON;
  constructor(private readonly demand: TrueDemand) {}

  forecast(history: DemandHistory, origin: number): Map<string, number[]> {
    const zones = [...new Set([...history.zoneIds(), ...this.demand.byZone.keys()])].sort();
    return new Map(zones.map((z) => [z, Array.from({ length: this.horizon }, (_, i) => this.demand.byZone.get(z)?.get(origin + 1 + i) ?? 0)]));
  }

  dispose(): void {}
}

/** A day ahead: the day's true city-wide counts, smoothed as the seasonal forecast is; other days: the seasonal forecast. */
export function oracleDayForecast(demand: TrueDemand): (history: DemandHistory, day: number) => DayForecast | null {
  return (history, day) => {
    const first = bucketOf(day);
    if (first + BUCKETS_PER_DAY - 1 < demand.firstBucket || first > demand.lastBucket) return dayAheadForecast(history, day);
    // Outside the loop's window the truth is unknown: the seasonal forecast fills in, so the
    // oracle books no more and no fewer hours into the window than the ML arm would for that reason.
    const seasonal = dayAheadForecast(history, day);
    const inside = (b: number) => b >= demand.firstBucket && b <= demand.lastBucket;
    const raw = Array.from({ length: BUCKETS_PER_DAY }, (_, i) => (inside(first + i) ? (demand.city.get(first + i) ?? 0) : (seasonal?.orders[i] ?? 0)));
    return { day, orders: smoothDay(raw), source: "oracle: the day's true orders" };
  };
}
