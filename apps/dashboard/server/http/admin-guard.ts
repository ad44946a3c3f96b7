import type { IncomingMessage } from 'node:http';
import { CSRF_HEADER, tokensEqual } from './csrf-token.js';
import { crossSiteProblem, isJsonRequest } from './origin-guard.js';
import { HttpError } from './router.js';

// Admin actions (replay, redrive, purge, retrain, walkthrough steps) change the system. Each must
// come from the dashboard's own origin, carry a JSON body, and prove it by a token: the configured
// DASHBOARD_ADMIN_TOKEN when there is one (required off loopback, where anyone on the network could
// fetch the page's token), otherwise the per-run token the server hands its own pages.

export interface AdminTokens {
  /** DASHBOARD_ADMIN_TOKEN */
  admin: string | undefined;
  /** this run's CSRF token */
  csrf: string;
}

function adminTokenOf(req: IncomingMessage): string | undefined {
  const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
  return bearer ?? (req.headers['x-admin-token'] as string | undefined);
}

/** Throws the HttpError that refuses the request, or returns when it may change the system. */
export function checkAdminRequest(req: IncomingMessage, tokens: AdminTokens): void {
  const crossSite = crossSiteProblem(req);
  if (crossSite) throw new HttpError(403, crossSite);
  if (!isJsonRequest(req)) throw new HttpError(415, 'admin actions need Content-Type: application/json');
  if (tokens.admin !== undefined) {
    if (!tokensEqual(adminTokenOf(req), tokens.admin)) throw new HttpError(401, 'admin token required (Authorization: Bearer <DASHBOARD_ADMIN_TOKEN>)');
    return;
  }
  const csrf = req.headers[CSRF_HEADER];
  if (!tokensEqual(typeof csrf === 'string' ? csrf : undefined, tokens.csrf)) {
    throw new HttpError(403, `missing or stale ${CSRF_HEADER} (the page gets it from GET /api/session)`);
  }
}
