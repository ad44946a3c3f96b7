import type { IncomingMessage } from 'node:http';

// Cross-site requests: any page open in the user's browser can send a "simple" POST (text/plain,
// no preflight) to 127.0.0.1. A browser names the page that sent a request in Origin, and modern
// ones also say in Sec-Fetch-Site how it relates to the target; either one is enough to refuse a
// request that did not come from the dashboard's own pages. Clients that are not browsers (curl,
// scripts) send neither and are judged by the token alone.

/** null when the request may come from here, else the reason to refuse it. */
export function crossSiteProblem(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return `cross-origin request refused (Origin '${origin}')`;
    }
    if (!originHost || originHost !== (req.headers.host ?? '').toLowerCase()) return `cross-origin request refused (Origin '${origin}')`;
    return null;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${String(site)})`;
  return null;
}

/** A JSON body cannot be sent cross-origin without a CORS preflight, which this server never grants. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}
