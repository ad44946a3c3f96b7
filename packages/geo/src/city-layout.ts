import type { Point } from './point.js';
import { createProjection } from './projection.js';

// The generated city's layout: a grid of square zones around a fixed centre, with district names.
// It depends only on the zone count, never on a seed, so every reader of the log (the simulator
// that builds the world, the dashboard that draws it) derives the same zones from the first frame.

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

/** Berlin-Mitte: a real-looking centre; the grid of zones spreads around it. */
export const CITY_CENTRE = { lat: 52.52, lon: 13.405, name: 'Berlin' };
/** Side of one square zone, in metres. */
export const ZONE_SIZE_M = 1_500;

const DISTRICTS = [
  'Mitte', 'Kreuzberg', 'Friedrichshain', 'Prenzlauer Berg', 'Tiergarten', 'Moabit', 'Schöneberg', 'Neukölln',
  'Wedding', 'Charlottenburg', 'Alt-Treptow', 'Lichtenberg', 'Gesundbrunnen', 'Wilmersdorf', 'Tempelhof', 'Pankow',
  'Friedenau', 'Rummelsburg', 'Westend', 'Halensee', 'Plänterwald', 'Weißensee', 'Steglitz', 'Britz',
  'Reinickendorf', 'Oberschöneweide', 'Karlshorst', 'Mariendorf', 'Dahlem', 'Spandau', 'Köpenick', 'Marzahn',
];

/**
 * The city's zones: a grid of square zones around the centre, their ids and district names. It
 * depends only on the zone count (never on the seed), so a reader of the log can draw the same
 * zones from the first frame (see cityZoneOutlines below).
 */
export function cityLayout(zoneCount: number): { grid: ZoneGrid; centres: Point[]; ids: string[]; names: string[] } {
  const cols = Math.ceil(Math.sqrt(zoneCount));
  const rows = Math.ceil(zoneCount / cols);
  const width = cols * ZONE_SIZE_M, height = rows * ZONE_SIZE_M;
  const { grid, centres } = buildGrid(zoneCount, -width / 2, -height / 2, width, height);

  // Names go to zones by distance from the centre, so "Mitte" is the middle of the map.
  const byDistance = centres.map((c, i) => ({ i, d: Math.hypot(c.x, c.y) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const names: string[] = new Array(zoneCount);
  byDistance.forEach(({ i }, rank) => {
    const base = DISTRICTS[rank % DISTRICTS.length];
    const round = Math.floor(rank / DISTRICTS.length);
    names[i] = round === 0 ? base : `${base} ${round + 1}`;
  });
  const width2 = String(zoneCount).length;
  const ids = centres.map((_, index) => `z${String(index + 1).padStart(width2, '0')}`);
  return { grid, centres, ids, names };
}


// The generated city's zones as lat/lon boxes, for readers of the log that draw a map (the
// dashboard). A zone owns its grid cell, plus any cell past the last zone in a partial last row
// (those go to the nearest zone), so a zone's outline is the bounding box of the cells it owns.

export interface ZoneOutline {
  id: string;
  name: string;
  /** minLat, minLon, maxLat, maxLon */
  bounds: [number, number, number, number];
}

export function cityZoneOutlines(zoneCount: number): ZoneOutline[] {
  const { grid, ids, names } = cityLayout(zoneCount);
  const projection = createProjection(CITY_CENTRE.lat, CITY_CENTRE.lon);
  const boxes = ids.map(() => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }));
  grid.cellZone.forEach((zone, cell) => {
    const col = cell % grid.cols, row = Math.floor(cell / grid.cols);
    const b = boxes[zone];
    const x0 = grid.minX + col * grid.cellW, y0 = grid.minY + row * grid.cellH;
    b.minX = Math.min(b.minX, x0); b.maxX = Math.max(b.maxX, x0 + grid.cellW);
    b.minY = Math.min(b.minY, y0); b.maxY = Math.max(b.maxY, y0 + grid.cellH);
  });
  return ids.map((id, i) => {
    const b = boxes[i];
    const lo = projection.toLatLon({ x: b.minX, y: b.minY });
    const hi = projection.toLatLon({ x: b.maxX, y: b.maxY });
    return { id, name: names[i], bounds: [lo.lat, lo.lon, hi.lat, hi.lon] };
  });
}
