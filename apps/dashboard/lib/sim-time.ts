// One time format everywhere, on the pages and in the gateway's messages: simulated UTC, 24-hour,
// ISO-like ("2025-03-03 18:40:05"). Pure functions, shared by the browser and the server.

export function fmtSimTime(ms: number, seconds = true): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, seconds ? 19 : 16);
}

/**
 * Reads what a person typed as a simulated UTC time: "2025-03-03 18:40", "2025-03-03T18:40:05",
 * optionally with a trailing Z. Returns epoch ms, or null when it is not such a time.
 */
export function parseSimTime(text: string): number | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:Z|UTC)?\s*$/i.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, m[6] ? Number(m[6]) : 0);
  const back = new Date(ms);
  // reject 2025-02-31 and 25:00 rather than rolling them over
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi) return null;
  return ms;
}
