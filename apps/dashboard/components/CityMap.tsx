'use client';
import { useEffect, useRef } from 'react';
import type { LiveFrame } from '../lib/types';
import { STATUS_COLOURS, STATUS_NAMES } from '../lib/types';

// The city from local geometry only: zones as the boxes their events cover, shaded by demand;
// rain as a blue wash; riders as dots coloured by state; stores as squares; open orders as rings.
// Riders (thousands, redrawn a few times a second) go on a canvas over the SVG: drawing them as
// SVG elements costs the browser hundreds of milliseconds per frame at city scale.

const W = 760;
const H = 520;

function RiderLayer({ riders, x, y }: { riders: LiveFrame['riders']; x: (lon: number) => number; y: (lat: number) => number }) {
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
    ctx.setTransform((w * ratio) / W, 0, 0, (h * ratio) / H, 0, 0);
    ctx.clearRect(0, 0, W, H);
    for (let s = 0; s < STATUS_COLOURS.length; s++) {
      ctx.fillStyle = STATUS_COLOURS[s]!;
      ctx.beginPath();
      for (const [, lat, lon, status] of riders) {
        if (status !== s) continue;
        const cx = x(lon);
        const cy = y(lat);
        ctx.moveTo(cx + 2.6, cy);
        ctx.arc(cx, cy, 2.6, 0, Math.PI * 2);
      }
      ctx.fill();
    }
  }, [riders, x, y]);
  return <canvas ref={ref} style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }} />;
}

export function CityMap({ frame }: { frame: LiveFrame | null }) {
  if (!frame || frame.zones.length === 0) {
    return <div className="muted" style={{ height: H / 2 }}>Waiting for the first events…</div>;
  }
  let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
  for (const z of frame.zones) {
    minLat = Math.min(minLat, z.bounds[0]);
    minLon = Math.min(minLon, z.bounds[1]);
    maxLat = Math.max(maxLat, z.bounds[2]);
    maxLon = Math.max(maxLon, z.bounds[3]);
  }
  const pad = 0.002;
  minLat -= pad; minLon -= pad; maxLat += pad; maxLon += pad;
  // Equirectangular projection is exact enough at city scale.
  const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const scale = Math.min(W / spanX, H / spanY);
  const x = (lon: number) => (lon - minLon) * kx * scale;
  const y = (lat: number) => H - (lat - minLat) * scale;
  const maxDemand = Math.max(1, ...frame.zones.map((z) => z.ordersLastWindow));
  return (
    <div>
      <div style={{ position: 'relative' }} data-testid="city-map" data-riders={frame.riders.length}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="city map" style={{ background: '#0b111c', borderRadius: 8, display: 'block' }}>
        {frame.zones.map((z) => {
          const heat = z.ordersLastWindow / maxDemand;
          const rain = z.weather === 'rain' || z.weather === 'storm';
          return (
            <g key={z.id}>
              <rect x={x(z.bounds[1])} y={y(z.bounds[2])} width={Math.max(2, x(z.bounds[3]) - x(z.bounds[1]))} height={Math.max(2, y(z.bounds[0]) - y(z.bounds[2]))} fill={`rgba(248,113,113,${0.05 + heat * 0.45})`} stroke="#2a3449" />
              {rain && <rect x={x(z.bounds[1])} y={y(z.bounds[2])} width={Math.max(2, x(z.bounds[3]) - x(z.bounds[1]))} height={Math.max(2, y(z.bounds[0]) - y(z.bounds[2]))} fill={z.weather === 'storm' ? 'rgba(59,130,246,0.35)' : 'rgba(96,165,250,0.18)'} />}
              <text x={x(z.bounds[1]) + 4} y={y(z.bounds[2]) + 13} fontSize="11" fill="#93a0b8">{z.id} · {z.ordersLastWindow} orders{rain ? ' · ' + z.weather : ''}</text>
            </g>
          );
        })}
        {frame.stores.map(([id, lat, lon]) => <rect key={id} x={x(lon) - 3} y={y(lat) - 3} width={6} height={6} fill="#e5e7eb" opacity={0.8} />)}
        {frame.openOrders.map(([lat, lon, assigned], i) => <circle key={i} cx={x(lon)} cy={y(lat)} r={3.5} fill="none" stroke={assigned ? '#60a5fa' : '#f87171'} strokeWidth={1.2} />)}
      </svg>
      <RiderLayer riders={frame.riders} x={x} y={y} />
      </div>
      <div className="legend" style={{ marginTop: 6 }}>
        {STATUS_NAMES.map((n, i) => (
          <span key={n}><i style={{ background: STATUS_COLOURS[i] }} />{n.replace('_', ' ')} {frame.ridersByStatus[n] ?? 0}</span>
        ))}
        <span>□ store</span><span style={{ color: '#f87171' }}>○ open order</span><span style={{ color: '#60a5fa' }}>○ assigned</span><span>zone shade = orders in the last {frame.windowMin} min</span>
      </div>
    </div>
  );
}
