'use client';

// REST calls to the gateway. Admin actions send the token the user typed (kept in this browser only).

export function adminToken(): string {
  return typeof window === 'undefined' ? '' : window.localStorage.getItem('riderflow-admin-token') ?? '';
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = adminToken();
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const data = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

/** one time format everywhere: simulated UTC, 24-hour, ISO ("2025-03-03 18:40:05") */
export function fmtTime(ms: number): string {
  if (!ms) return '—';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export { parseSimTime } from './sim-time';

export const TIME_HINT = 'simulated UTC, 24-hour, e.g. 2025-03-03 18:40';

export function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en') : n.toFixed(digits);
}
