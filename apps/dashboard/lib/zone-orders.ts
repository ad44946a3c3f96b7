// What a zone's label on the live map says. The label used to say "0 orders" for the orders
// *placed* in the zone in the last 15 simulated minutes, while the rings drawn in it are the
// *open* orders (waiting or assigned, however long ago they were placed, drawn where they are to
// be delivered): a zone could read "0 orders" under three rings. The label now counts the rings
// drawn inside the zone, so what it says is what the map shows; the 15-minute demand stays the
// zone's shade and is in its tooltip, in those words.

/** "1 open order", "3 open orders" (lib/format's plural, here without an import: this file is
 * read both by the page bundle and by the server's Node16 type check, which want different paths) */
const openOrders = (n: number): string => `${n.toLocaleString('en')} open order${n === 1 ? '' : 's'}`;

/** [lat, lon] as the map draws a ring */
type Point = readonly [number, number];
/** [minLat, minLon, maxLat, maxLon] */
type Bounds = readonly [number, number, number, number];

export interface ZoneOrders {
  waiting: number;
  assigned: number;
}

/**
 * The open orders whose ring lies in each zone, waiting and assigned apart. A ring on a shared
 * border counts for the first zone that holds it, as hovering it names that zone.
 */
export function openOrdersByZone(
  zones: ReadonlyArray<{ id: string; bounds: Bounds }>,
  openOrders: ReadonlyArray<readonly [number, number, number, ...unknown[]]>,
): Map<string, ZoneOrders> {
  const counts = new Map<string, ZoneOrders>(zones.map((z) => [z.id, { waiting: 0, assigned: 0 }]));
  for (const [lat, lon, assigned] of openOrders) {
    const z = zones.find((s) => inBounds([lat, lon], s.bounds));
    if (!z) continue;
    const c = counts.get(z.id)!;
    if (assigned) c.assigned++;
    else c.waiting++;
  }
  return counts;
}

export function inBounds([lat, lon]: Point, b: Bounds): boolean {
  return lat >= b[0] && lat <= b[2] && lon >= b[1] && lon <= b[3];
}

/** the label's count: "3 open orders" (the rings in the zone), "no open orders" */
export function zoneLabelCount(c: ZoneOrders): string {
  const open = c.waiting + c.assigned;
  return open === 0 ? 'no open orders' : openOrders(open);
}

/** the tooltip's line for the same rings: "3 open orders here: 1 waiting, 2 assigned" */
export function zoneOpenLine(c: ZoneOrders): string {
  const open = c.waiting + c.assigned;
  return open === 0 ? 'no open orders here' : `${openOrders(open)} here: ${c.waiting} waiting, ${c.assigned} assigned`;
}
