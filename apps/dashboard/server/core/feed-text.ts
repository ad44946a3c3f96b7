// The event feed in sentences a person reads at a glance: "Rider 97 picks up 2 orders at store 72,
// 2.1 km away". Ids keep their number and lose their prefix; order ids, which name the simulated
// minute they were placed in (base 36) and a sequence, read as that time and number.
import { latLonDistance } from '@riderflow/geo';

/** "r97" → "Rider 97"-style numbers; anything else stays as it is. */
export function shortId(id: string, prefix: string): string {
  return id.startsWith(prefix) && /^\d+$/.test(id.slice(prefix.length)) ? id.slice(prefix.length) : id;
}

export const rider = (id: string) => `rider ${shortId(id, 'r')}`;
export const store = (id: string) => `store ${shortId(id, 's')}`;

/** "o1hb3c4-2" (minute 1hb3c4 in base 36, second order that minute) → "12:04 #2" */
export function order(id: string): string {
  const m = /^o([0-9a-z]+)-(\d+)$/.exec(id);
  if (!m) return `order ${id}`;
  const minute = parseInt(m[1]!, 36);
  if (!Number.isFinite(minute)) return `order ${id}`;
  const hhmm = new Date(minute * 60_000).toISOString().slice(11, 16);
  return `order ${hhmm} #${m[2]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Distance in km, measured as the world measures it (@riderflow/geo). */
export function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return latLonDistance(lat1, lon1, lat2, lon2) / 1000;
}

export const CANCEL_REASONS: Record<string, string> = {
  unassigned_timeout: 'no rider was free in time',
  customer: 'the customer cancelled',
  other: 'other reason',
  simulator_restart: 'the simulator restarted: in-flight orders are not resumed',
};
