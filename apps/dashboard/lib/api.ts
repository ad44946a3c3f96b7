'use client';

// REST calls to the gateway. Admin actions (every non-GET) carry a JSON body and either the
// admin token the user typed (kept in this browser only) or the per-run token the server gives its
// own pages (GET /api/session); the server refuses anything else, so other sites cannot act.

export function adminToken(): string {
  return typeof window === 'undefined' ? '' : window.localStorage.getItem('riderflow-admin-token') ?? '';
}

interface Session { csrfToken: string; csrfHeader: string; adminTokenRequired: boolean }
let session: Promise<Session> | null = null;

function getSession(): Promise<Session> {
  session ??= fetch('/api/session', { cache: 'no-store' }).then(async (res) => {
    if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
    return (await res.json()) as Session;
  });
  session.catch(() => (session = null));
  return session;
}

async function send(path: string, method: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    const s = await getSession();
    headers[s.csrfHeader] = s.csrfToken;
    const token = adminToken();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  return fetch(path, { method, headers, body: method !== 'GET' ? JSON.stringify(body ?? {}) : undefined });
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  let res = await send(path, method, init.body);
  // The token lives as long as the server: after a restart, fetch the new one and try once more.
  if (res.status === 403 && method !== 'GET' && session) {
    session = null;
    res = await send(path, method, init.body);
  }
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
