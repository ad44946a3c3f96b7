const EARTH_KM = 6371;

export function haversineKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Riding minutes: straight-line distance stretched by a street-detour factor. */
export function travelMinutes(aLat: number, aLon: number, bLat: number, bLon: number, speedKmh = 15, detour = 1.3): number {
  return ((haversineKm(aLat, aLon, bLat, bLon) * detour) / speedKmh) * 60;
}
