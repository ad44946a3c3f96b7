// DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and then reads a local
// server as if it were its own origin. The browser still sends `Host: evil.example`, so answering
// only the names a server serves closes that hole (as webpack-dev-server and Vite do).
//
// An IP literal is always served: a rebinding page cannot have an IP address as its origin, and a
// user who opens http://192.168.1.5:3000 on a server bound to 0.0.0.0 means it.

/** Always served, whatever the bind address. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export interface HostAllowList {
  /** exact names (lower case, IPv6 without brackets) */
  names: ReadonlySet<string>;
  /** `.example.com` entries: that domain and every subdomain */
  suffixes: readonly string[];
  /** `*` among the entries: every Host is served (behind a proxy that checks it) */
  any: boolean;
}

const unbracket = (name: string): string => name.replace(/^\[|\]$/g, '');

/**
 * The names a server answers to: loopback, its bind address, and `allowedHosts`, a comma-separated
 * list (usually the ALLOWED_HOSTS variable) of names, `.domain` suffixes, or `*`.
 */
export function hostAllowList(bindHost: string, allowedHosts: string | undefined): HostAllowList {
  const entries = (allowedHosts ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const names = new Set([...LOOPBACK_NAMES, unbracket(bindHost.trim().toLowerCase())]);
  const suffixes: string[] = [];
  for (const e of entries) {
    if (e.startsWith('.')) suffixes.push(e);
    else names.add(unbracket(e));
  }
  return { names, suffixes, any: entries.includes('*') };
}
