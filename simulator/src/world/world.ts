import type { Point, Projection, Vehicle } from '@riderflow/geo';

export interface Zone {
  id: string;
  name: string;
  index: number;
  centre: Point;
  /** Relative share of the city's demand (denser near the centre). */
  weight: number;
}

export interface ZoneGrid {
  cols: number;
  rows: number;
  minX: number;
  minY: number;
  cellW: number;
  cellH: number;
  /** For every grid cell, the index of the zone that owns it (cells past the last zone go to the nearest zone). */
  cellZone: number[];
}

export interface Store {
  id: string;
  name: string;
  zoneIndex: number;
  pos: Point;
  /** Preparation time: log-normal with this mean and standard deviation, minutes. */
  prepMeanMin: number;
  prepSdMin: number;
  /** Relative chance a customer nearby orders here. */
  popularity: number;
}

export interface Customer {
  id: string;
  zoneIndex: number;
  pos: Point;
}

export type { Vehicle };

export interface RiderProfile {
  id: string;
  homeZoneIndex: number;
  vehicle: Vehicle;
  /** Speed in clear weather, metres per second. */
  speedMps: number;
}

/** The static part of the world: everything a seed (or an MDRP instance) fixes before time starts. */
export interface World {
  kind: 'city' | 'mdrp';
  name: string;
  projection: Projection;
  zones: Zone[];
  grid: ZoneGrid;
  stores: Store[];
  customers: Customer[];
  riders: RiderProfile[];
  pickupServiceMs: number;
  dropoffServiceMs: number;
  /** MDRP: travel takes ceil(distance / metresPerMinute) whole minutes, whatever the weather. */
  mdrpMetresPerMinute?: number;
}

export function zoneIndexAt(grid: ZoneGrid, p: Point): number {
  const col = Math.min(grid.cols - 1, Math.max(0, Math.floor((p.x - grid.minX) / grid.cellW)));
  const row = Math.min(grid.rows - 1, Math.max(0, Math.floor((p.y - grid.minY) / grid.cellH)));
  return grid.cellZone[row * grid.cols + col];
}

/** A grid of `count` cells (row-major; a partial last row) over the given rectangle. */
export function buildGrid(count: number, minX: number, minY: number, width: number, height: number): { grid: ZoneGrid; centres: Point[] } {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const cellW = width / cols;
  const cellH = height / rows;
  const centres: Point[] = [];
  for (let i = 0; i < count; i++) {
    const col = i % cols, row = Math.floor(i / cols);
    centres.push({ x: minX + (col + 0.5) * cellW, y: minY + (row + 0.5) * cellH });
  }
  const cellZone: number[] = [];
  for (let cell = 0; cell < cols * rows; cell++) {
    if (cell < count) { cellZone.push(cell); continue; }
    const c = { x: minX + ((cell % cols) + 0.5) * cellW, y: minY + (Math.floor(cell / cols) + 0.5) * cellH };
    let best = 0, bestD = Infinity;
    centres.forEach((z, i) => { const d = Math.hypot(z.x - c.x, z.y - c.y); if (d < bestD) { bestD = d; best = i; } });
    cellZone.push(best);
  }
  return { grid: { cols, rows, minX, minY, cellW, cellH, cellZone }, centres };
}
