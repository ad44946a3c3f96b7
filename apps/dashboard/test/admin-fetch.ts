// An admin request as the dashboard's own page makes it: this run's CSRF token from /api/session,
// a JSON body, and no foreign Origin. Tests that drive admin endpoints directly use it, so they
// go through the same guard as the browser (see server/http/admin-guard.ts).
export async function adminFetch(baseUrl: string, path: string, method: 'POST' | 'DELETE', body: unknown = {}): Promise<Response> {
  const session = (await (await fetch(`${baseUrl}/api/session`)).json()) as { csrfToken: string; csrfHeader: string };
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', [session.csrfHeader]: session.csrfToken },
    body: JSON.stringify(body),
  });
}
