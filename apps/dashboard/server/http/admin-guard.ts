import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Admin actions (replay, redrive, purge, retrain) change the system. On loopback the person at the
// keyboard owns the machine; anywhere else a token is required.

export function adminAllowed(req: IncomingMessage, loopbackOnly: boolean, token: string | undefined): boolean {
  if (loopbackOnly && !token) return true;
  if (!token) return false;
  const header = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? (req.headers['x-admin-token'] as string | undefined) ?? '';
  const a = Buffer.from(header);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
