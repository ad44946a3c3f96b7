import type { IncomingMessage } from 'node:http';

// The Origin / Sec-Fetch-Site check is shared with the brokers' management APIs (host-guard).
export { crossSiteProblem } from '@riderflow/host-guard';

/** A JSON body cannot be sent cross-origin without a CORS preflight, which this server never grants. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}
