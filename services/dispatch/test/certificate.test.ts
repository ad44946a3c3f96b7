import { describe, expect, it } from 'vitest';
import { certifyOrder, earliestPickup } from '../src/core/certificate.js';
import { wholeMinuteTravel } from '@riderflow/geo';

// 100 m per minute: 100 m of distance is one minute of travel; half a pickup service is 2 minutes.
const travel = wholeMinuteTravel(100);
const order = (placedAt: number, readyAt: number) => ({ id: 'o1', restaurantId: 'r1', restaurantLoc: { x: 0, y: 0 }, placedAt, readyAt });
const courier = (id: string, x: number, onTime: number, offTime: number) => ({ id, start: { x, y: 0 }, onTime, offTime });

describe('certificate of an order', () => {
  it('earliest pickup is the latest of ready, placement and arrival plus half the service', () => {
    expect(earliestPickup(order(0, 30), courier('c', 1000, 0, 100), travel, 4)).toBe(30); // waits for the food
    expect(earliestPickup(order(0, 5), courier('c', 1000, 0, 100), travel, 4)).toBe(12); // 10 min drive + 2
    expect(earliestPickup(order(50, 5), courier('c', 0, 0, 100), travel, 4)).toBe(50); // not before it is placed
    expect(earliestPickup(order(0, 5), courier('c', 1000, 40, 100), travel, 4)).toBe(52); // leaves at on_time
  });

  it('an order no courier can reach by its off_time is certified infeasible, naming the nearest miss', () => {
    const couriers = [courier('early', 0, 0, 20), courier('far', 3000, 0, 60), courier('later', 500, 10, 45)];
    const cert = certifyOrder(order(40, 61), couriers, travel, 4);
    expect(cert.kind).toBe('infeasible');
    if (cert.kind !== 'infeasible') return;
    expect(cert.couriersChecked).toBe(3);
    expect(cert.nearest).toEqual({ courierId: 'far', earliestPickup: 61, offTime: 60 });
    expect(cert.text).toMatch(/order o1 .*no courier can pick it up by its off_time.*nearest: courier far earliest pickup 61 > off_time 60/);
  });

  it('travel alone can make an order infeasible: ready in time, but the only courier cannot get there', () => {
    const cert = certifyOrder(order(0, 10), [courier('far', 5000, 0, 45)], travel, 4);
    expect(cert.kind).toBe('infeasible');
    if (cert.kind === 'infeasible') expect(cert.nearest).toEqual({ courierId: 'far', earliestPickup: 52, offTime: 45 });
  });

  it('an order some courier can serve gets a witness, not a certificate of infeasibility', () => {
    // off exactly at the earliest pickup still counts: the rule is pickup no later than off_time
    const cert = certifyOrder(order(0, 10), [courier('far', 5000, 0, 45), courier('near', 4000, 0, 42)], travel, 4);
    expect(cert).toMatchObject({ kind: 'deliverable', courierId: 'near', earliestPickup: 42, offTime: 42 });
    expect(cert.text).toMatch(/deliverable — courier near could pick it up at 42, off_time 42/);
  });
});
