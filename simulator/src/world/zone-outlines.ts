import { cityLayout, CITY_CENTRE } from './city.js';
import { createProjection } from '@riderflow/geo';

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
