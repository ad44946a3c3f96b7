import { describe, expect, it } from 'vitest';
import { openOrdersByZone, zoneLabelCount, zoneOpenLine } from '../lib/zone-orders.js';

// The live map's zone labels count the rings drawn in the zone (open orders, by where they are
// drawn), so a label never says "0" over rings; the 15-minute demand is the shade, not the label.
describe('zone labels on the live map', () => {
  const zones = [
    { id: 'Z1', bounds: [52.5, 13.3, 52.52, 13.35] as const },
    { id: 'Z2', bounds: [52.52, 13.3, 52.54, 13.35] as const },
  ];

  it('count the open orders whose ring is inside the zone, waiting and assigned, each ring once', () => {
    const rings: Array<[number, number, number, string]> = [
      [52.51, 13.31, 1, 'o1'], // assigned, in Z1
      [52.51, 13.32, 1, 'o2'], // assigned, in Z1
      [52.515, 13.34, 0, 'o3'], // waiting, in Z1
      [52.52, 13.33, 0, 'o4'], // on the Z1/Z2 border: counted once, for Z1 (as hovering names it)
      [52.53, 13.31, 1, 'o5'], // assigned, in Z2
      [52.6, 13.31, 0, 'o6'], // in no zone
    ];
    const counts = openOrdersByZone(zones, rings);
    expect(Object.fromEntries(counts)).toEqual({ Z1: { waiting: 2, assigned: 2 }, Z2: { waiting: 0, assigned: 1 } });
    expect(zoneLabelCount(counts.get('Z1')!)).toBe('4 open orders');
    expect(zoneLabelCount(counts.get('Z2')!)).toBe('1 open order');
    expect(zoneOpenLine(counts.get('Z1')!)).toBe('4 open orders here: 2 waiting, 2 assigned');
  });

  it('a zone with assigned rings is never labelled with 0 (the label counted orders placed in the last 15 min)', () => {
    // orders placed long ago, assigned, still open: the old label read "0 orders" here
    const counts = openOrdersByZone(zones, [[52.53, 13.31, 1], [52.535, 13.32, 1]]);
    expect(zoneLabelCount(counts.get('Z2')!)).toBe('2 open orders');
    expect(zoneLabelCount(counts.get('Z1')!)).toBe('no open orders');
    expect(zoneOpenLine(counts.get('Z1')!)).toBe('no open orders here');
  });
});
