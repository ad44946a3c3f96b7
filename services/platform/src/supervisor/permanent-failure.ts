// Some start failures will not go away by restarting: the port is taken, or the data directory is
// open in another process. Restarting those in a loop only prints the same stack trace every few
// seconds, so the supervisor recognises them in the child's output and stops instead.

const PATTERNS: { match: RegExp; say: (m: RegExpExecArray) => string }[] = [
  {
    match: /data directory (\S+?) is in use by process (\d+)/,
    say: (m) => `data directory ${m[1]} is in use by process ${m[2]}`,
  },
  {
    match: /EADDRINUSE\b[^"]*?:(\d+)\b/,
    say: (m) => `port ${m[1]} is already in use`,
  },
  {
    match: /EADDRINUSE|address already in use/i,
    say: () => 'its port is already in use',
  },
];

/** A one-line reason when `line` reports a failure no restart can fix, else null. */
export function permanentFailureIn(line: string): string | null {
  for (const p of PATTERNS) {
    const m = p.match.exec(line);
    if (m) return p.say(m);
  }
  return null;
}

/** The one line printed when a service cannot start for good. */
export function portInUseMessage(service: string, port: number): string {
  return `port ${port} is already in use, so ${service} cannot start (another riderflow or another program holds it; \`ss -ltnp 'sport = :${port}'\` names it)`;
}

/** A JSON log line (pino) below level error; plain lines (stack traces, CLI errors) are not. */
export function isBelowError(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' && level < 50;
  } catch {
    return false;
  }
}
