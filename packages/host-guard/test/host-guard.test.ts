import { describe, expect, it } from 'vitest';
import { hostAllowList, hostAllowed, hostNameOf, hostProblem } from '../src/index.js';

describe('hostNameOf', () => {
  it('takes the name out of host[:port], IPv6 without brackets, lower case', () => {
    expect(hostNameOf('localhost:3000')).toBe('localhost');
    expect(hostNameOf('Dash.Example.COM')).toBe('dash.example.com');
    expect(hostNameOf('[::1]:9092')).toBe('::1');
    expect(hostNameOf('127.0.0.1')).toBe('127.0.0.1');
  });

  it('refuses what is not a Host header value', () => {
    expect(hostNameOf(undefined)).toBeNull();
    expect(hostNameOf('')).toBeNull();
    expect(hostNameOf('user:pw@localhost')).toBeNull();
    expect(hostNameOf('localhost/path')).toBeNull();
    expect(hostNameOf('localhost?x=1')).toBeNull();
    expect(hostNameOf('localhost#x')).toBeNull();
    expect(hostNameOf('exa mple.com')).toBeNull();
    expect(hostNameOf('[::1')).toBeNull();
  });
});

describe('hostAllowed', () => {
  const local = hostAllowList('127.0.0.1', undefined);

  it('serves loopback names and any IP literal, with or without a port', () => {
    for (const h of ['localhost', 'localhost:9644', 'LOCALHOST:1', '127.0.0.1:80', '[::1]:80', '192.168.1.5:3000', '[fe80::1]']) {
      expect(hostAllowed(h, local), h).toBe(true);
    }
  });

  it('refuses foreign names, a missing Host and a malformed one', () => {
    for (const h of ['evil.example', 'evil.example:3000', 'localhost.evil.example', 'mylocalhost', undefined, '', 'a@localhost']) {
      expect(hostAllowed(h, local), String(h)).toBe(false);
    }
  });

  it('serves the bind name', () => {
    expect(hostAllowed('box.lan:80', hostAllowList('box.lan', undefined))).toBe(true);
    expect(hostAllowed('[fd00::2]:80', hostAllowList('[fd00::2]', undefined))).toBe(true);
    expect(hostAllowed('box.lan:80', hostAllowList('0.0.0.0', undefined))).toBe(false);
  });

  it('serves ALLOWED_HOSTS names and .domain suffixes (the domain itself and its subdomains)', () => {
    const list = hostAllowList('0.0.0.0', ' Dash.Example.com , .corp.test,[fd00::1]');
    expect(hostAllowed('dash.example.com:3000', list)).toBe(true);
    expect(hostAllowed('other.example.com', list)).toBe(false);
    expect(hostAllowed('corp.test', list)).toBe(true);
    expect(hostAllowed('a.b.corp.test:8080', list)).toBe(true);
    expect(hostAllowed('evilcorp.test', list)).toBe(false);
    expect(hostAllowed('[fd00::1]:1', list)).toBe(true);
  });

  it('serves every Host, even a malformed one, when ALLOWED_HOSTS has *', () => {
    const list = hostAllowList('127.0.0.1', 'x.example,*');
    expect(list.any).toBe(true);
    expect(hostAllowed('evil.example', list)).toBe(true);
    expect(hostAllowed(undefined, list)).toBe(true);
  });
});

describe('hostProblem', () => {
  const list = hostAllowList('127.0.0.1', undefined);

  it('is null for a served Host and names the Host and the fix otherwise', () => {
    expect(hostProblem({ headers: { host: 'localhost:1' } }, list)).toBeNull();
    const reason = hostProblem({ headers: { host: 'evil.example:1' } }, list);
    expect(reason).toContain("Host 'evil.example:1' is not served here");
    expect(reason).toContain('ALLOWED_HOSTS');
    expect(hostProblem({ headers: {} }, list)).toContain("Host ''");
  });
});
