import { describe, expect, it } from 'vitest';
import { liveForecastReport, scoreRecords, type PlanRecord } from '../bench/live-forecast-report.js';
import { CalibrationTap, calibrationVerdict } from '../src/core/calibration.js';
import { ridersNeeded } from '../src/core/erlang-c.js';

const H = 3_600_000;
const T0 = Date.parse('2025-03-03T12:00:00Z');

function record(at: number, zones: [string, number, number, number][]): PlanRecord {
  return {
    bucketStart: at,
    modelVersion: 'v1',
    zones: zones.map(([zoneId, forecast, actual, base]) => ({ zoneId, forecast, actual, baselines: { seasonal_naive_yesterday: base, seasonal_naive_last_week: base + 1, moving_average_1h: actual + 3 } })),
  };
}

describe('live forecast score', () => {
  it('MAE per zone-window, total bias, and the best baseline on the same windows', () => {
    const rs = [record(T0, [['a', 4, 5, 8], ['b', 2, 2, 2]]), record(T0 + 15 * 60_000, [['a', 6, 3, 3], ['b', 0, 1, 1]])];
    const s = scoreRecords(rs);
    expect(s.zoneWindows).toBe(4);
    expect(s.mae).toBeCloseTo((1 + 0 + 3 + 1) / 4, 10);
    expect(s.bias).toBeCloseTo(12 / 11 - 1, 10);
    expect(s.baselineMae.seasonal_naive_yesterday).toBeCloseTo((3 + 0 + 0 + 0) / 4, 10);
    expect(s.best).toBe('seasonal_naive_yesterday');
  });

  it('the verdict needs all three: MAE ≤ 0.9× the best baseline, bias within ±15 %, six hours', () => {
    const good = Array.from({ length: 28 }, (_, i) => record(T0 + i * 15 * 60_000, [['a', 10, 10, 13], ['b', 5, 6, 9]]));
    expect(liveForecastReport(good, 6)).toMatch(/target ≤ 0\.90×: MET\).*within ±15 %: MET\).*need ≥ 6: MET/);
    expect(liveForecastReport(good.slice(0, 8), 6)).toContain('need ≥ 6: NOT MET');
    const biased = good.map((r) => ({ ...r, zones: r.zones.map((z) => ({ ...z, forecast: z.forecast * 1.3 })) }));
    expect(liveForecastReport(biased, 6)).toContain('within ±15 %: NOT MET');
  });
});

describe('staffing-rule calibration', () => {
  it('counts orders on time by the hour they were placed, riders on shift by time, needed by the rule on the busiest bucket', () => {
    const tap = new CalibrationTap();
    const ev = (e: Record<string, unknown>) => tap.add(e as { type: string; ts: number });
    ev({ type: 'rider.shift_started', ts: T0, riderId: 'r1' });
    ev({ type: 'rider.shift_started', ts: T0 + 0.5 * H, riderId: 'r2' });
    ev({ type: 'rider.shift_ended', ts: T0 + 1.5 * H, riderId: 'r2' });
    for (let i = 0; i < 6; i++) ev({ type: 'order.created', ts: T0 + i * 60_000, placedAt: T0 + i * 60_000, orderId: `o${i}` });
    ev({ type: 'order.created', ts: T0 + 50 * 60_000, placedAt: T0 + 50 * 60_000, orderId: 'late' });
    for (let i = 0; i < 5; i++) ev({ type: 'order.delivered', ts: T0 + 30 * 60_000, orderId: `o${i}`, clickToDoorMin: 30 });
    ev({ type: 'order.delivered', ts: T0 + 95 * 60_000, orderId: 'late', clickToDoorMin: 45 }); // placed at 12:50, counts for 12:00, late
    const rows = tap.rows(T0, T0 + 2 * H);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ created: 7, within40: 5, busiest: 6, ridersNeeded: ridersNeeded(6, 15) });
    expect(rows[0].ridersPresent).toBeCloseTo(1.5, 10);
    expect(rows[1].ridersPresent).toBeCloseTo(1.5, 10); // r1 all hour (still on shift at the end), r2 half
  });

  it('holds when staffed hours are ≥ 95 % on time and short hours worse; fails otherwise', () => {
    const row = (needed: number, present: number, created: number, within40: number) => ({ hourStart: 0, busiest: 0, ridersNeeded: needed, ridersPresent: present, created, within40 });
    expect(calibrationVerdict([row(10, 12, 100, 97), row(10, 6, 100, 70)]).holds).toBe(true);
    expect(calibrationVerdict([row(10, 12, 100, 90), row(10, 6, 100, 70)]).holds).toBe(false); // staffed but late
    expect(calibrationVerdict([row(10, 12, 100, 97), row(10, 6, 100, 99)]).holds).toBe(false); // short yet better
    expect(calibrationVerdict([row(10, 6, 100, 50)]).holds).toBe(false); // no staffed hour: nothing shown
  });
});
