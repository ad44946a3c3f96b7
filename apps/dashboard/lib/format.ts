// Words and numbers as a person reads them: simulated times with their weekday, counts without
// decimals, plurals that agree with their number.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon 3 Mar 2025, 11:52:10" (simulated time is UTC) */
export function simDateTime(ms: number): string {
  if (!ms) return 'not started';
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${d.toISOString().slice(11, 19)}`;
}

/** "11:52:10" */
export function clock(ms: number): string {
  return ms ? new Date(ms).toISOString().slice(11, 19) : '—';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${Math.round(n).toLocaleString('en')} ${Math.round(n) === 1 ? one : many}`;
}

/** "×30"; a measured speed is rounded to what a reader can use */
export function speedLabel(speed: number | null): string {
  if (speed === null) return 'speed: measuring…';
  return `×${speed >= 10 ? Math.round(speed) : speed.toFixed(1)}`;
}

/** distance in metres as "500 m" or "1.5 km" */
export function distance(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(m % 1000 === 0 ? 0 : 1)} km` : `${Math.round(m)} m`;
}

/** "r97" → "Rider 97" */
export function riderName(id: string): string {
  return /^r\d+$/.test(id) ? `Rider ${id.slice(1)}` : `Rider ${id}`;
}

/** "s72" → "Store 72" */
export function storeName(id: string): string {
  return /^s\d+$/.test(id) ? `Store ${id.slice(1)}` : `Store ${id}`;
}

/** Order ids name the simulated minute they were placed in (base 36) and a number: "Order 12:01 #1". */
export function orderName(id: string): string {
  const m = /^o([0-9a-z]+)-(\d+)$/.exec(id);
  const minute = m ? parseInt(m[1]!, 36) : NaN;
  if (!m || !Number.isFinite(minute)) return `Order ${id}`;
  return `Order ${new Date(minute * 60_000).toISOString().slice(11, 16)} #${m[2]}`;
}
