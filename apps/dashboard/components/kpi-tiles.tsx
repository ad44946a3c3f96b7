'use client';
import type { KpiTile } from '@riderflow/contracts';

// Each tile: the value over the last window, and its change against the window before, once the
// dashboard has read a whole previous window (a change against nothing would mislead). Counts are
// whole numbers; the tile's title says exactly what it measures.

const COUNT_UNITS = new Set(['riders', 'orders']);

function show(t: KpiTile, v: number): string {
  if (t.unit === 'share') return `${Math.round(v * 100)}%`;
  if (COUNT_UNITS.has(t.unit)) return Math.round(v).toLocaleString('en');
  return v.toFixed(1);
}

function change(t: KpiTile, d: number): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (t.unit === 'share') return `${sign}${Math.round(a * 100)} pts`;
  if (COUNT_UNITS.has(t.unit)) return `${sign}${Math.round(a).toLocaleString('en')}`;
  return `${sign}${a.toFixed(1)}`;
}

/** what a tile without a value is waiting for */
function missing(t: KpiTile): string {
  if (t.unit === 'min' || t.unit === 'share') return t.key === 'utilisation' ? 'no riders on shift' : 'no deliveries yet';
  return 'no data yet';
}

/** comparable: the dashboard has read a whole previous window */
export function KpiTiles({ tiles, windowMin, comparable }: { tiles: KpiTile[]; windowMin: number; comparable: boolean }) {
  return (
    <div className="tiles" data-testid="kpi-tiles">
      {tiles.map((t) => {
        const d = t.delta === null ? null : t.delta;
        const good = d === null || Math.abs(d) < 1e-9 ? '' : (d > 0) === t.higherIsBetter ? 'good' : 'bad';
        return (
          <div className="tile" key={t.key} data-testid={`kpi-${t.key}`} title={`${t.definition} Window: the last ${windowMin} simulated minutes.`} tabIndex={0}>
            <div className="label">{t.label} <span aria-hidden="true" className="info">i</span></div>
            {t.value === null
              ? <div className="value empty">{missing(t)}</div>
              : <div className="value">{show(t, t.value)}<span className="unit">{t.unit === 'share' ? '' : t.unit}</span></div>}
            <div className={`delta ${good}`} data-testid={`kpi-delta-${t.key}`} data-has-delta={d === null ? 'no' : 'yes'}>
              {d !== null ? `${change(t, d)} vs previous ${windowMin} min` : comparable ? `previous ${windowMin} min: no value` : `change shown after ${2 * windowMin} simulated min`}
            </div>
          </div>
        );
      })}
    </div>
  );
}
