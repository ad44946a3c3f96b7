import { calibrationVerdict, type CalibrationHour } from '@riderflow/rostering/core';
import type { LoopArm, LoopResult } from './loop-result.js';

/**
 * What no timing of the same rider-hours can beat, roughly: if every hour the arm's riders spent
 * idle had been spent on orders at the arm's own pace (delivered per busy hour), it would deliver
 * delivered / busyShare orders; the orders created beyond that are lost whatever the booking.
 * Returns that floor on lost orders (never below 0) and the most a perfect booking could then cut
 * the arm's cancellations by (share). It ignores where idle riders are (a rider idle across town
 * cannot take an order) and that a busier fleet bundles more, so it is an estimate, not a proof.
 */
export function idleTimeCeiling(r: Pick<LoopResult, 'created' | 'delivered' | 'cancelled' | 'busyShare'>): { lostFloor: number; maxCut: number } {
  const deliverable = r.busyShare > 0 ? r.delivered / r.busyShare : NaN;
  const lostFloor = Math.max(0, r.created - deliverable);
  return { lostFloor, maxCut: r.cancelled > 0 ? Math.max(0, r.cancelled - lostFloor) / r.cancelled : NaN };
}

/** Rider-hours may differ from the off arm's by this share at most (issue 17: equal rider-hours ±1 %). */
export const RIDER_HOURS_TOLERANCE = 0.01;

/** Two-sided 95 % Student t quantiles by degrees of freedom (n − 1). */
const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and half-width of the 95 % confidence interval over seeds (NaN half-width for one seed). */
export function meanCi(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  const mean = xs.reduce((s, v) => s + v, 0) / Math.max(1, n);
  if (n < 2) return { mean, half: NaN };
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { mean, half: (T95[n - 1] ?? 1.96) * (sd / Math.sqrt(n)) };
}

/**
 * Share of the oracle's gain over "off" that the ML arm captures, on the means over seeds:
 * (ml − off) / (oracle − off). NaN when the oracle gains nothing (or loses): a share of no gain
 * means nothing. `lowerIsBetter` for cancellations.
 */
export function gainShare(off: number, ml: number, oracle: number, lowerIsBetter = false): number {
  const gain = lowerIsBetter ? off - oracle : oracle - off;
  if (!(gain > 1e-9)) return NaN;
  return (lowerIsBetter ? off - ml : ml - off) / gain;
}

const fmt = (x: { mean: number; half: number }, digits: number, unit = '') =>
  `${x.mean.toFixed(digits)}${Number.isFinite(x.half) ? ` ± ${x.half.toFixed(digits)}` : ' (1 seed, no interval)'}${unit}`;

export function formatArmSummary(results: readonly LoopResult[], arms: readonly LoopArm[], seeds: number): string {
  const lines = ['', `mean ± 95 % confidence interval over ${seeds} seed${seeds === 1 ? '' : 's'} (Student t):`];
  const of = (arm: LoopArm) => results.filter((r) => r.arm === arm);
  const stats = new Map<LoopArm, Record<string, { mean: number; half: number }>>();
  for (const arm of arms) {
    const rs = of(arm);
    if (rs.length === 0) continue;
    const s = {
      cancelled: meanCi(rs.map((r) => r.cancelled)),
      within40: meanCi(rs.map((r) => r.within40OfCreated * 100)),
      mean: meanCi(rs.map((r) => r.meanClickToDoorMin)),
      p90: meanCi(rs.map((r) => r.p90ClickToDoorMin)),
      riderH: meanCi(rs.map((r) => r.riderHoursInWindow)),
      rosteredH: meanCi(rs.map((r) => r.rosteredHoursInWindow)),
    };
    stats.set(arm, s);
    lines.push(`  ${arm.padEnd(7)} cancelled ${fmt(s.cancelled, 1)}; delivered ≤ 40 min of created ${fmt(s.within40, 1, ' %')}; click-to-door mean ${fmt(s.mean, 2, ' min')}, p90 ${fmt(s.p90, 1, ' min')}; rider-hours worked ${fmt(s.riderH, 1)} (rostered ${fmt(s.rosteredH, 1)})`);
  }
  const off = stats.get('off');
  const ml = stats.get('ml');
  const oracle = stats.get('oracle');
  const missing = (['off', 'oracle'] as const).filter((a) => !stats.has(a));
  if (ml && missing.length > 0) lines.push(`RESULT ML arm's share of the oracle's gain not computed: it needs the ${missing.join(' and ')} arm${missing.length === 1 ? '' : 's'} too (--arms off,ml,oracle)`);
  if (off) {
    for (const [arm, s] of stats) {
      if (arm === 'off') continue;
      const dh = (s.riderH.mean / off.riderH.mean - 1) * 100;
      const dc = (s.cancelled.mean / off.cancelled.mean - 1) * 100;
      lines.push(`  ${arm} vs off: cancellations ${dc >= 0 ? '+' : ''}${dc.toFixed(1)} %, ≤ 40 min of created ${(s.within40.mean - off.within40.mean >= 0 ? '+' : '')}${(s.within40.mean - off.within40.mean).toFixed(1)} points, rider-hours ${dh >= 0 ? '+' : ''}${dh.toFixed(2)} % (goal on the means: equal ±1 %: ${Math.abs(dh) <= RIDER_HOURS_TOLERANCE * 100 ? 'MET' : 'NOT MET'})`);
    }
    if (oracle) {
      const dc = (oracle.cancelled.mean / off.cancelled.mean - 1) * 100;
      lines.push(`RESULT oracle cancels ${(-dc).toFixed(1)} % fewer orders than off (goal ≥ 40 %: ${-dc >= 40 ? 'MET' : 'NOT MET'})`);
    }
    const offRuns = of('off');
    const ceil = offRuns.map(idleTimeCeiling);
    const busy = meanCi(offRuns.map((r) => r.busyShare * 100));
    const cut = meanCi(ceil.map((c) => c.maxCut * 100));
    lines.push(`  idle-time ceiling: off riders are on an order ${fmt(busy, 1, ' %')} of their on-shift time; had all of it been busy at off's own pace, at least ${fmt(meanCi(ceil.map((c) => c.lostFloor)), 1)} orders would still be lost, so no timing of these rider-hours cuts cancellations by more than ${fmt(cut, 1, ' %')} (an estimate: it ignores where idle riders are)`);
    for (const arm of stats.keys()) if (arm !== 'off') lines.push(`  ${arm}: riders on an order ${fmt(meanCi(of(arm).map((r) => r.busyShare * 100)), 1, ' %')} of their on-shift time`);
    if (ml && oracle) {
      const c = gainShare(off.cancelled.mean, ml.cancelled.mean, oracle.cancelled.mean, true);
      const w = gainShare(off.within40.mean, ml.within40.mean, oracle.within40.mean);
      const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : 'n/a (the oracle gains nothing)');
      lines.push(`RESULT ML arm captures ${pct(c)} of the oracle's gain on cancellations and ${pct(w)} on the share within 40 min (goal ≥ 80 % on both: ${c >= 0.8 && w >= 0.8 ? 'MET' : 'NOT MET'})`);
    }
  }
  return lines.join('\n');
}

/**
 * Each seed's rider-hours per arm against its off arm: the relative difference, and whether every
 * arm is within the tolerance. NaN (and not within) when a seed has no off arm to compare with.
 */
export function riderHoursCheck(arms: readonly LoopResult[]): { arm: LoopArm; diff: number; rosteredDiff: number; within: boolean }[] {
  const off = arms.find((r) => r.arm === 'off');
  const rel = (a: number, b: number | undefined) => (b !== undefined && b > 0 ? a / b - 1 : NaN);
  return arms.filter((r) => r.arm !== 'off').map((r) => {
    const diff = rel(r.riderHoursInWindow, off?.riderHoursInWindow);
    return { arm: r.arm, diff, rosteredDiff: rel(r.rosteredHoursInWindow, off?.rosteredHoursInWindow), within: Math.abs(diff) <= RIDER_HOURS_TOLERANCE };
  });
}

export function formatRiderHours(bySeed: ReadonlyMap<string, readonly LoopResult[]>): string {
  const lines = ['', `rider-hours worked in the window against the off arm, per seed (goal: equal within ±${RIDER_HOURS_TOLERANCE * 100} %; rostered hours in brackets):`];
  // Without an off arm there is nothing to compare with: say what the comparison needs rather
  // than print NOT MET against an arm that did not run (`--arms ml` alone did that).
  const withoutOff = [...bySeed].filter(([, rs]) => rs.length > 0 && !rs.some((r) => r.arm === 'off')).map(([seed]) => seed);
  if (withoutOff.length > 0) {
    lines.push(`RESULT rider-hours not compared: the comparison needs the off arm, which did not run for seed${withoutOff.length === 1 ? '' : 's'} ${withoutOff.join(', ')} (run with --arms off,${[...new Set([...bySeed.values()].flat().map((r) => r.arm))].join(',')})`);
    return lines.join('\n');
  }
  let all = true;
  let any = false;
  for (const [seed, rs] of bySeed) {
    const checks = riderHoursCheck(rs);
    if (checks.length === 0) continue;
    any = true;
    all &&= checks.every((c) => c.within);
    const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} %` : 'n/a (no off arm)');
    lines.push(`  ${seed.padEnd(8)} ${checks.map((c) => `${c.arm} ${pct(c.diff)} (${pct(c.rosteredDiff)})${c.within ? '' : ' OUTSIDE'}`).join(', ')}`);
  }
  if (any) lines.push(`RESULT rider-hours equal across arms within ±${RIDER_HOURS_TOLERANCE * 100} % on every seed: ${all ? 'MET' : 'NOT MET'}`);
  return lines.join('\n');
}

/** The staffing rule against every arm's hours: needed (rule on the orders that came) vs present vs on time. */
export function formatCalibration(results: readonly LoopResult[]): string {
  const rows: CalibrationHour[] = results.flatMap((r) => r.calibration);
  if (rows.length === 0) return '';
  const lines = ['', 'staffing rule vs the simulator (every arm and seed, per simulated hour): riders needed by the pooled rule on the orders that came, riders on shift, orders delivered within 40 min of created'];
  const first = results[0];
  lines.push(`  ${first.arm} arm, first seed, hour by hour:`);
  for (const h of first.calibration) {
    const share = h.created > 0 ? `${((h.within40 / h.created) * 100).toFixed(1)} %` : '—';
    lines.push(`    ${new Date(h.hourStart).toISOString().slice(11, 16)}  needed ${String(h.ridersNeeded).padStart(3)}  present ${h.ridersPresent.toFixed(1).padStart(5)}  orders ${String(h.created).padStart(4)}  on time ${share.padStart(7)}`);
  }
  const v = calibrationVerdict(rows);
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');
  lines.push(`RESULT staffing rule: hours with present ≥ needed: ${v.staffed.hours} hours, ${v.staffed.created} orders, ${pct(v.staffed.share)} within 40 min (goal ≥ 95 %); hours with present < 0.8 × needed: ${v.short.hours} hours, ${v.short.created} orders, ${pct(v.short.share)} (goal: fewer): ${v.holds ? 'HOLDS' : 'DOES NOT HOLD'}`);
  return lines.join('\n');
}
