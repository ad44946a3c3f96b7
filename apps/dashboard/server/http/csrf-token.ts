import { randomBytes, timingSafeEqual } from 'node:crypto';

// A token made once per server run and handed to the dashboard's own pages (GET /api/session).
// Another site's page cannot read it (same-origin policy; the Host check stops DNS rebinding), so a
// request carrying it came from a page this server served, or from someone on this machine.

export const CSRF_HEADER = 'x-csrf-token';

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
