import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

// DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and then reads this
// server as if it were its own origin. The browser still sends `Host: evil.example`, so answering
// only the names we serve closes that hole (as webpack-dev-server and Vite do).
//
// An IP literal is always served: a rebinding page cannot have an IP address as its origin, and a
// user who opens http://192.168.1.5:3000 on a dashboard bound to 0.0.0.0 means it.

export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface HostAllowList {
  /** exact names (lower case) */
  names: Set<string>;
  /** `.example.com` entries: that domain and every subdomain */
  suffixes: string[];
  /** ALLOWED_HOSTS=* : every Host is served (behind a proxy that checks it) */
  any: boolean;
}

/** The names a server answers to: loopback, its bind address, and a comma-separated ALLOWED_HOSTS. */
export function hostAllowList(bindHost: string, allowedHosts: string | undefined): HostAllowList {
  const entries = (allowedHosts ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const names = new Set([...LOOPBACK_NAMES, bindHost.toLowerCase().replace(/^\[|\]$/g, '')]);
  const suffixes: string[] = [];
  for (const e of entries) {
    if (e.startsWith('.')) suffixes.push(e);
    else names.add(e.replace(/^\[|\]$/g, ''));
  }
  return { names, suffixes, any: entries.includes('*') };
}

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

export function hostAllowed(hostHeader: string | undefined, list: HostAllowList): boolean {
  if (list.any) return true;
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  if (isIP(name) !== 0 || list.names.has(name)) return true;
  return list.suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
}

/** null when the request's Host is served, else the reason to refuse it (one line). */
export function hostProblem(req: IncomingMessage, list: HostAllowList): string | null {
  if (hostAllowed(req.headers.host, list)) return null;
  return `Host '${req.headers.host ?? ''}' is not served here; add the name to ALLOWED_HOSTS to use it`;
}
