import { CSRF_HEADER } from './csrf-token.js';
import { crossSiteProblem } from './origin-guard.js';
import { HttpError, type Router } from './router.js';

// What a page needs before it may act: this run's CSRF token, and whether the server wants the
// admin token instead. Refused to other sites, so even a page that can make the browser ask
// (a <script src>, a no-cors fetch) gets nothing it can use.

export function registerSession(router: Router, csrfToken: string, adminTokenRequired: boolean): void {
  router.get('/api/session', async (req) => {
    const crossSite = crossSiteProblem(req);
    if (crossSite) throw new HttpError(403, crossSite);
    return { csrfToken: csrfToken, csrfHeader: CSRF_HEADER, adminTokenRequired };
  });
}
