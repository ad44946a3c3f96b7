import { isIP } from 'node:net';
import type { HostAllowList } from './host-allow-list.js';

/** The host name of a Host header value ("[::1]:3000" → "::1"), or null when it is not one. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  try {
    const url = new URL(`http://${hostHeader}`);
    // a Host header is host[:port] and nothing else
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
}

/** Whether a request carrying this Host header is served. */
export function hostAllowed(hostHeader: string | undefined, list: HostAllowList): boolean {
  if (list.any) return true;
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  if (isIP(name) !== 0 || list.names.has(name)) return true;
  return list.suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
}

/** Just the headers this check reads, so any HTTP request type (node:http, socket.io's) fits. */
export interface RequestWithHost {
  headers: { host?: string | undefined };
}

/** null when the request's Host is served, else the reason to refuse it (one line, for a 421 answer). */
export function hostProblem(req: RequestWithHost, list: HostAllowList): string | null {
  if (hostAllowed(req.headers.host, list)) return null;
  return `Host '${req.headers.host ?? ''}' is not served here; add the name to ALLOWED_HOSTS to use it`;
}
