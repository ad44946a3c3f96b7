'use client';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { LiveFrame, ZoneFrame } from '@riderflow/contracts';
// Values from the leaf entry: Turbopack cannot bundle the main entry (see contracts' rider-statuses.ts).
import { RIDER_STATUSES, type RiderStatus } from '@riderflow/contracts/rider-statuses';

// How the map draws each rider status. The status names and their codes in a frame are the
// contracts' (RIDER_STATUSES, RIDER_STATUS_CODES); only the colours and the legend's words are ours.
const STATUS_STYLE: Record<RiderStatus, { colour: string; label: string }> = {
  idle: { colour: '#4ade80', label: 'idle' },
  to_store: { colour: '#facc15', label: 'to store' },
  waiting: { colour: '#fb923c', label: 'waiting at store' },
  to_customer: { colour: '#60a5fa', label: 'to customer' },
  repositioning: { colour: '#c084fc', label: 'repositioning' },
  off_shift: { colour: '#64748b', label: 'off shift' },
};
const STATUS_NAMES = RIDER_STATUSES;
/** indexed by a frame's status code */
const STATUS_COLOURS = RIDER_STATUSES.map((s) => STATUS_STYLE[s].colour);
const STATUS_LABELS = RIDER_STATUSES.map((s) => STATUS_STYLE[s].label);
import { distance, orderName, plural, riderName, storeName } from '../lib/format';
import { inBounds, openOrdersByZone, zoneLabelCount, zoneOpenLine, type ZoneOrders } from '../lib/zone-orders';

// The city: zones (fixed outlines from the first frame) shaded by demand, rain as a blue wash,
// stores as squares, open orders as rings, riders as dots coloured by state. The map takes the
// city's own proportions, so it fills its panel's width with no empty band.
// Layers, bottom to top: the SVG (zones, stores, orders), a canvas with the riders (thousands,
// redrawn a few times a second: as SVG elements they cost the browser hundreds of milliseconds
// per frame), then the zone labels as HTML chips, so no marker ever covers a label.

/** map units across; the height follows the city's proportions */
const W = 1000;
const RIDER_RADIUS_PX = 4.5;
const HIT_PX = 10;
const METRES_PER_DEG_LAT = 111_320;

interface Projection { x: (lon: number) => number; y: (lat: number) => number; h: number; metresPerUnit: number; lonOf: (x: number) => number; latOf: (y: number) => number }

function project(zones: ZoneFrame[]): Projection {
  let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
  for (const z of zones) {
    minLat = Math.min(minLat, z.bounds[0]);
    minLon = Math.min(minLon, z.bounds[1]);
    maxLat = Math.max(maxLat, z.bounds[2]);
    maxLon = Math.max(maxLon, z.bounds[3]);
  }
  // a hair of margin so the outer zone borders are not clipped
  const padLat = (maxLat - minLat) * 0.004, padLon = (maxLon - minLon) * 0.004;
  minLat -= padLat; maxLat += padLat; minLon -= padLon; maxLon += padLon;
  // Equirectangular projection is exact enough at city scale.
  const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const scale = W / ((maxLon - minLon) * kx);
  const h = (maxLat - minLat) * scale;
  return {
    x: (lon) => (lon - minLon) * kx * scale,
    y: (lat) => h - (lat - minLat) * scale,
    h,
    metresPerUnit: METRES_PER_DEG_LAT / scale,
    lonOf: (x) => minLon + x / (kx * scale),
    latOf: (y) => minLat + (h - y) / scale,
  };
}

/** a round length about a sixth of the map's width: 500 m, 1 km, 2 km… */
function scaleBar(metresPerUnit: number): { metres: number; units: number } {
  const target = (W / 6) * metresPerUnit;
  const nice = [100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000];
  const metres = nice.reduce((best, m) => (Math.abs(m - target) < Math.abs(best - target) ? m : best), nice[0]!);
  return { metres, units: metres / metresPerUnit };
}

function RiderLayer({ riders, p }: { riders: LiveFrame['riders']; p: Projection }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    // CSS pixels: riders keep their size whatever the map's size
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const sx = w / W, sy = h / p.h;
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#0b111c';
    for (let s = 0; s < STATUS_COLOURS.length; s++) {
      ctx.fillStyle = STATUS_COLOURS[s]!;
      ctx.beginPath();
      for (const [, lat, lon, status] of riders) {
        if (status !== s) continue;
        const cx = p.x(lon) * sx;
        const cy = p.y(lat) * sy;
        ctx.moveTo(cx + RIDER_RADIUS_PX, cy);
        ctx.arc(cx, cy, RIDER_RADIUS_PX, 0, Math.PI * 2);
      }
      ctx.fill();
      ctx.stroke();
    }
  }, [riders, p]);
  return <canvas ref={ref} className="map-layer" aria-hidden="true" />;
}

type Detail = { kind: 'rider' | 'order' | 'store' | 'zone'; title: string; lines: string[]; left: number; top: number; flip: boolean };

function zoneLines(z: ZoneFrame, windowMin: number, open: ZoneOrders): string[] {
  const lines = [zoneOpenLine(open), `${plural(z.ordersLastWindow, 'order')} placed in the last ${windowMin} min`, `${plural(z.ridersPresent, 'rider')} on shift here`];
  lines.push(z.weather === 'clear' ? 'weather: clear' : `weather: ${z.weather}${z.rainMmH ? `, ${z.rainMmH.toFixed(1)} mm/h` : ''}`);
  if (z.forecastOrders !== null) lines.push(`forecast: ${plural(z.forecastOrders, 'order')}, ${plural(z.ridersNeeded ?? 0, 'rider')} needed`);
  return lines;
}

export function CityMap({ frame }: { frame: LiveFrame | null }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [pinned, setPinned] = useState(false);
  const zones = frame?.zones ?? [];
  const zoneKey = zones.map((z) => `${z.id}:${z.bounds.join(',')}`).join('|');
  // recomputed only when the outlines change (they are fixed from the first frame)
  const p = useMemo(() => (zones.length ? project(zones) : null), [zoneKey]);
  if (!frame || !p) {
    return <div className="muted map-waiting">Waiting for the first events…</div>;
  }
  const maxDemand = Math.max(1, ...zones.map((z) => z.ordersLastWindow));
  const bar = scaleBar(p.metresPerUnit);
  const zoneOf = (lat: number, lon: number) => zones.find((z) => inBounds([lat, lon], z.bounds));
  // the labels count the rings drawn in each zone, found the same way as hovering finds a zone
  const openByZone = openOrdersByZone(zones, frame.openOrders);
  const openIn = (id: string): ZoneOrders => openByZone.get(id) ?? { waiting: 0, assigned: 0 };

  /** what is under the pointer: the nearest rider, order or store within reach, else the zone */
  const inspect = (e: MouseEvent<HTMLDivElement>): Detail | null => {
    const box = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - box.left, py = e.clientY - box.top;
    const sx = box.width / W, sy = box.height / p.h;
    const near = (lat: number, lon: number) => Math.hypot(p.x(lon) * sx - px, p.y(lat) * sy - py);
    const at = { left: px, top: py, flip: px > box.width * 0.6 };
    let best: { d: number; detail: Omit<Detail, 'left' | 'top' | 'flip'> } | null = null;
    const offer = (d: number, detail: Omit<Detail, 'left' | 'top' | 'flip'>) => {
      if (d <= HIT_PX && (!best || d < best.d)) best = { d, detail };
    };
    for (const [id, lat, lon, status] of frame.riders) {
      const z = zoneOf(lat, lon);
      offer(near(lat, lon), { kind: 'rider', title: riderName(id), lines: [STATUS_LABELS[status] ?? 'unknown state', z ? `in ${z.name}` : ''].filter(Boolean) });
    }
    for (const [lat, lon, assigned, id] of frame.openOrders) {
      offer(near(lat, lon) + 1, { kind: 'order', title: orderName(id ?? ''), lines: [assigned ? 'assigned to a rider' : 'waiting for a rider', 'ring = where it goes'] });
    }
    for (const [id, lat, lon] of frame.stores) offer(near(lat, lon) + 2, { kind: 'store', title: storeName(id), lines: ['a restaurant or shop riders collect from'] });
    const found = best as { d: number; detail: Omit<Detail, 'left' | 'top' | 'flip'> } | null;
    if (found) return { ...found.detail, ...at };
    const z = zoneOf(p.latOf(py / sy), p.lonOf(px / sx));
    return z ? { kind: 'zone', title: `${z.name} (${z.id})`, lines: zoneLines(z, frame.windowMin, openIn(z.id)), ...at } : null;
  };

  const total = STATUS_NAMES.reduce((n, s) => n + (frame.ridersByStatus[s] ?? 0), 0);
  return (
    <div>
      <div
        className="citymap"
        data-testid="city-map"
        data-riders={frame.riders.length}
        style={{ aspectRatio: `${W} / ${p.h}` }}
        onMouseMove={(e) => { if (!pinned) setDetail(inspect(e)); }}
        onMouseLeave={() => { if (!pinned) setDetail(null); }}
        onClick={(e) => { const d = inspect(e); setPinned(d !== null && !pinned); setDetail(d); }}
      >
        <svg viewBox={`0 0 ${W} ${p.h}`} className="map-layer" role="img" aria-label={`Map of the city: ${plural(zones.length, 'zone')}, ${plural(frame.riders.length, 'rider')} on shift, ${plural(frame.openOrders.length, 'open order')}`}>
          {zones.map((z) => {
            const heat = z.ordersLastWindow / maxDemand;
            const rain = z.weather === 'rain' || z.weather === 'storm';
            const rect = { x: p.x(z.bounds[1]), y: p.y(z.bounds[2]), width: Math.max(2, p.x(z.bounds[3]) - p.x(z.bounds[1])), height: Math.max(2, p.y(z.bounds[0]) - p.y(z.bounds[2])) };
            return (
              <g key={z.id} data-testid="zone" data-zone={z.id}>
                <rect {...rect} fill={`rgba(248,113,113,${0.04 + heat * 0.4})`} stroke="#33405a" strokeWidth={1.5} />
                {rain && <rect {...rect} fill={z.weather === 'storm' ? 'rgba(59,130,246,0.35)' : 'rgba(96,165,250,0.18)'} />}
              </g>
            );
          })}
          {frame.stores.map(([id, lat, lon]) => <rect key={id} data-testid="store" x={p.x(lon) - 7} y={p.y(lat) - 7} width={14} height={14} fill="#e5e7eb" opacity={0.85} />)}
          {frame.openOrders.map(([lat, lon, assigned], i) => <circle key={i} data-testid="order" cx={p.x(lon)} cy={p.y(lat)} r={10} fill="none" stroke={assigned ? '#60a5fa' : '#f87171'} strokeWidth={3.5} />)}
        </svg>
        <RiderLayer riders={frame.riders} p={p} />
        <div className="map-layer map-labels">
          {zones.map((z) => {
            const rain = z.weather === 'rain' || z.weather === 'storm';
            return (
              <div key={z.id} className="zone-label" data-testid="zone-label" data-zone={z.id} data-open={openIn(z.id).waiting + openIn(z.id).assigned} style={{ left: `${(p.x(z.bounds[1]) / W) * 100}%`, top: `${(p.y(z.bounds[2]) / p.h) * 100}%` }}>
                <strong>{z.name}</strong> {zoneLabelCount(openIn(z.id))}{rain ? ` · ${z.weather}` : ''}
              </div>
            );
          })}
          <div className="scale-bar" data-testid="scale-bar" style={{ width: `${(bar.units / W) * 100}%` }}>
            <span>{distance(bar.metres)}</span>
          </div>
        </div>
        {detail && (
          <div className="map-tip" data-testid="map-detail" role="status" style={detail.flip ? { right: `calc(100% - ${detail.left - 14}px)`, top: detail.top + 14 } : { left: detail.left + 14, top: detail.top + 14 }}>
            <strong>{detail.title}</strong>
            {detail.lines.map((l) => <div key={l}>{l}</div>)}
            {pinned && <div className="muted">click to unpin</div>}
          </div>
        )}
      </div>
      <div className="legend map-legend" data-testid="map-legend">
        <span data-testid="legend-fleet" data-fleet={frame.fleet}><b>Fleet {plural(frame.fleet, 'rider')}:</b></span>
        {STATUS_NAMES.map((n, i) => (
          <span key={n} data-testid={`legend-${n}`} data-count={frame.ridersByStatus[n] ?? 0}><i style={{ background: STATUS_COLOURS[i] }} />{STATUS_LABELS[i]} {frame.ridersByStatus[n] ?? 0}</span>
        ))}
        {total !== frame.fleet && <span className="error">(counts add up to {total})</span>}
      </div>
      <div className="legend map-legend">
        <span><i className="sq" /> store</span>
        <span><i className="ring" style={{ borderColor: '#f87171' }} /> order waiting for a rider</span>
        <span><i className="ring" style={{ borderColor: '#60a5fa' }} /> order assigned</span>
        <span><i className="shade" /> zone shade = orders placed in the last {frame.windowMin} min</span>
        <span className="muted">zone label = its open orders (rings)</span>
        <span className="muted">hover or click for details</span>
      </div>
    </div>
  );
}
