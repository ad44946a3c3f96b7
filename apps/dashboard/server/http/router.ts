import type { IncomingMessage, ServerResponse } from 'node:http';
import { HumanError } from '../core/human-error.js';

// A tiny JSON router for the gateway's REST API; Next handles every other path.

export type Handler = (req: IncomingMessage, url: URL, body: unknown) => Promise<unknown>;
interface Route { method: string; pattern: RegExp; keys: string[]; handler: Handler; admin: boolean }

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class Router {
  private readonly routes: Route[] = [];

  /** `guardAdmin` throws an HttpError to refuse an admin (state-changing) request */
  constructor(private readonly guardAdmin: (req: IncomingMessage) => void) {}

  get(path: string, handler: (req: IncomingMessage, url: URL, params: Record<string, string>) => Promise<unknown>): this {
    return this.add('GET', path, handler, false);
  }

  post(path: string, handler: (req: IncomingMessage, url: URL, params: Record<string, string>, body: Record<string, unknown>) => Promise<unknown>, admin = true): this {
    return this.add('POST', path, handler as never, admin);
  }

  delete(path: string, handler: (req: IncomingMessage, url: URL, params: Record<string, string>) => Promise<unknown>, admin = true): this {
    return this.add('DELETE', path, handler, admin);
  }

  private add(method: string, path: string, handler: (...args: never[]) => Promise<unknown>, admin: boolean): this {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)')) + '$');
    this.routes.push({ method, pattern, keys, handler: handler as unknown as Handler, admin });
    return this;
  }

  /** true when it handled the request */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://local');
    const route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) {
      // Pages belong to Next, but an API client must get JSON, not the HTML "not found" page:
      // a path no route serves (a typo, or `..` that URL parsing folded away) is a 404 in words.
      if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return false;
      const methods = [...new Set(this.routes.filter((r) => r.pattern.test(url.pathname)).map((r) => r.method))];
      if (methods.length > 0) {
        res.setHeader('allow', methods.join(', '));
        send(res, 405, { error: `${req.method} is not served on ${url.pathname}; it answers ${methods.join(', ')}` });
      } else {
        send(res, 404, { error: `There is no API endpoint ${url.pathname}.` });
      }
      return true;
    }
    const match = route.pattern.exec(url.pathname)!;
    try {
      // Decoded inside the try: a malformed %-escape (`/api/log/topics/%E0`) is the caller's bad
      // input, a 400 in words, where it used to escape as a 500 "internal error".
      if (route.admin) this.guardAdmin(req);
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodePart(match[i + 1]!)]));
      const body = req.method === 'POST' ? await readJson(req) : {};
      const result = await (route.handler as unknown as (...a: unknown[]) => Promise<unknown>)(req, url, params, body);
      send(res, 200, result ?? { ok: true });
    } catch (err) {
      const status = err instanceof HttpError || err instanceof HumanError ? err.status : 502;
      send(res, status, { error: (err as Error).message });
    }
    return true;
  }
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `The address holds a malformed %-escape ("${part}"): encode the name with encodeURIComponent.`);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // Bytes first, decoded once: a character whose UTF-8 bytes arrive in two chunks would turn into
  // two U+FFFD if each chunk were decoded on its own.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'body too large');
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  // Two different mistakes, two different answers: `{bad` is not JSON at all (say so, with the
  // parser's words), while `[1]` or `"x"` is JSON of the wrong shape.
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new HttpError(400, `the body is not valid JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'body must be a JSON object');
  return v as Record<string, unknown>;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}
