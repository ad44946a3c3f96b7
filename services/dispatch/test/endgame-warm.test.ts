import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound } from '../src/core/policy.js';
import { coverageMoves, prepositionMoves } from '../src/core/preposition.js';
import type { CourierView, DemandSample } from '../src/core/types.js';
import { courier, restaurantsAt, travel } from './fixtures/two-restaurants.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { mdrpPolicy } from '../src/mdrp/simulate.js';
import { tinyInstanceTexts } from './tiny-instance.js';

// 100 m per minute (fixtures/two-restaurants.ts).
/** a courier free now at (x, y) until its off time */
const until = (id: string, offTime: number, x = 0, y = 0): CourierView => courier(id, x, y, { offTime });

describe('prepositionCoverageMaxCouriers (off by default)', () => {
  // Two couriers left at 5. c1 (off 100) waits at r1 in the west and covers everything; c2 (off 40)
  // is idle 26 min east of r1, next to r2. Recent demand: 3 orders at r1, 1 at r2. The ordinary
  // prepositioning keeps c2 where it is (r2 is its nearest slot, under the 3-minute minimum move).
  // An order placed at r1 15 min from now (the lead) would find c2 too far (20 + 26 + 2 > 40): only
  // c1 covers r1. Sent there now, c2 arrives at 31 and covers r1 until its off_time; r1 (3 recent
  // orders) is then covered twice and r2 (1) once: coverage moves c2 to r1.
  const rs = restaurantsAt({ x: 0, y: 0 }, { x: 2500, y: 0 }); // r1 west, r2 east
  const c1 = courier('c1', 0, 0, { offTime: 100, freeRestaurantId: 'r1' });
  const c2 = until('c2', 40, 2500, 100);
  const samples: DemandSample[] = [
    { restaurantId: 'r1', placedAt: 1 },
    { restaurantId: 'r1', placedAt: 2 },
    { restaurantId: 'r1', placedAt: 3 },
    { restaurantId: 'r2', placedAt: 4 },
  ];
  const prules = {
    demandWindowMin: 60,
    prepositionMinDemand: 1,
    prepositionMinMoveMin: 3,
    prepositionMaxMoveMin: 20,
    prepositionMinShiftLeftMin: 20,
    prepositionCoverageDepth: 2,
    prepositionCoverageLeadMin: 15,
    pickupServiceMin: 4,
  };
  it('moves the idle courier toward the demand only one courier covers', () => {
    const ordinary = prepositionMoves(5, [c2], rs, samples, travel, prules);
    expect(ordinary).toEqual([]);
    const moves = coverageMoves(5, [c1, c2], [c2], ordinary, rs, samples, travel, prules);
    expect(moves.map((m) => [m.courierId, m.restaurantId])).toEqual([['c2', 'r1']]);
  });
  it('keeps the ordinary move when it loses no coverage', () => {
    const late = until('c2', 200, 2500, 100);
    const ordinary = prepositionMoves(5, [late], rs, samples, travel, prules);
    const moves = coverageMoves(5, [c1, late], [late], ordinary, rs, samples, travel, prules);
    expect(moves).toEqual(ordinary);
  });
  it('runs in a round at 10 (two couriers left: c2 is sent to r1); by default it is off', () => {
    // The same two couriers and demand through dispatchRound (city service minutes, prepositioning
    // every round here): the ordinary prepositioning alone moves nobody (r1 is beyond the 20-minute
    // maximum move for c2, r2 under the 3-minute minimum).
    const input = { now: 5, couriers: [c1, c2], openOrders: [], restaurants: rs, recentOrders: samples };
    const moves = (config: ReturnType<typeof dispatchConfig>) =>
      dispatchRound(input, config, travel).decisions.filter((d) => d.kind === 'reposition').map((d) => [d.courierId, d.restaurantId]);
    expect(moves(dispatchConfig({ prepositionCoverageMaxCouriers: 10 }))).toEqual([['c2', 'r1']]);
    expect(dispatchConfig().prepositionCoverageMaxCouriers).toBe(0);
    expect(moves(dispatchConfig())).toEqual([]);
    // more couriers on shift than the gate: the ordinary prepositioning decides alone
    const others = Array.from({ length: 9 }, (_, i) => until(`d${i}`, 100, 0, 20 * (i + 1)));
    const crowded = dispatchRound({ ...input, couriers: [c1, c2, ...others] }, dispatchConfig({ prepositionCoverageMaxCouriers: 10 }), travel);
    expect(crowded.decisions.some((d) => d.kind === 'reposition' && d.courierId === 'c2')).toBe(false);
  });
  it('the MDRP simulation passes the configured value through (off by default)', () => {
    const tiny = parseInstance('tiny', tinyInstanceTexts());
    expect(mdrpPolicy(dispatchConfig(), tiny).prepositionCoverageMaxCouriers).toBe(0);
    expect(mdrpPolicy(dispatchConfig({ prepositionCoverageMaxCouriers: 0 }), tiny).prepositionCoverageMaxCouriers).toBe(0);
    expect(mdrpPolicy(dispatchConfig({ prepositionCoverageMaxCouriers: 20 }), tiny).prepositionCoverageMaxCouriers).toBe(20);
  });
});
