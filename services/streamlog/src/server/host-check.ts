import { isIP } from 'node:net';

// DNS rebinding: a web page whose name resolves to 127.0.0.1 can read this HTTP port as its own
// origin, but its requests still carry its own name in Host. Only the names this broker serves are
// answered: IP addresses, localhost, the bind host, and those in ALLOWED_HOSTS (comma-separated;
// `.example.com` = that domain and subdomains; `*` = any).

/** A predicate for Host header values. */
export function hostChecker(bindHost: string, allowedHosts = process.env.ALLOWED_HOSTS ?? ''): (host: string | undefined) => boolean {
  const strip = (h: string) => h.trim().toLowerCase().replace(/^\[|\]$/g, '');
  const entries = allowedHosts.split(',').map(strip).filter(Boolean);
  if (entries.includes('*')) return () => true;
  const names = new Set(['localhost', strip(bindHost), ...entries.filter((e) => !e.startsWith('.'))]);
  const suffixes = entries.filter((e) => e.startsWith('.'));
  return (host) => {
    if (!host) return false;
    let name: string;
    try {
      name = strip(new URL(`http://${host}`).hostname);
    } catch {
      return false;
    }
    return isIP(name) !== 0 || names.has(name) || suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
  };
}
