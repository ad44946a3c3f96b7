'use client';
import type { KpiTile } from '../lib/types';
import { fmt } from '../lib/api';

function show(t: KpiTile, v: number | null): string {
  if (v === null) return '—';
  return t.unit === 'share' ? `${(v * 100).toFixed(0)}%` : fmt(v, t.unit === 'min' || t.unit === 'orders/min' ? 1 : 0);
}

export function KpiTiles({ tiles, windowMin }: { tiles: KpiTile[]; windowMin: number }) {
  return (
    <div className="tiles" data-testid="kpi-tiles">
      {tiles.map((t) => {
        const good = t.delta === null || t.delta === 0 ? '' : (t.delta > 0) === t.higherIsBetter ? 'good' : 'bad';
        const sign = t.delta !== null && t.delta > 0 ? '+' : '';
        return (
          <div className="tile" key={t.key} data-testid={`kpi-${t.key}`}>
            <div className="label">{t.label}</div>
            <div className="value">{show(t, t.value)}<span className="unit">{t.unit === 'share' ? '' : t.unit}</span></div>
            <div className={`delta ${good}`}>{t.delta === null ? `vs previous ${windowMin} min: —` : `${sign}${t.unit === 'share' ? (t.delta * 100).toFixed(0) + ' pts' : fmt(t.delta)} vs previous ${windowMin} min`}</div>
          </div>
        );
      })}
    </div>
  );
}
