// Cross-site requests: any page open in the user's browser can send a "simple" request (a
// text/plain POST, no preflight) to 127.0.0.1, with the user's cached Basic credentials. A browser
// names the page that sent a request in Origin, and modern ones also say in Sec-Fetch-Site how it
// relates to the target; either one is enough to refuse a request that did not come from the
// server's own pages. Clients that are not browsers (curl, scripts, rabbitmqadmin) send neither.

/** Just the headers this check reads, so any HTTP request type (node:http, socket.io's) fits. */
export interface RequestWithOrigin {
  headers: { host?: string | undefined; origin?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined };
}

/** null when the request comes from no page or from the server's own origin, else the reason to refuse it (one line, for a 403). */
export function crossSiteProblem(req: RequestWithOrigin): string | null {
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

/** Methods that only read; every other one may change state and gets the cross-site check. */
export function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
