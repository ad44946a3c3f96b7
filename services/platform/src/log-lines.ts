// Turns a child's output into readable lines prefixed with its name. Services log JSON (pino);
// the supervisor shows level and message and keeps the rest compact, so one terminal stays legible.

const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const skip = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'v']);

export function formatLine(service: string, line: string, width = 11): string {
  const prefix = service.padEnd(width).slice(0, width) + '| ';
  const trimmed = line.trimEnd();
  if (!trimmed.startsWith('{')) return prefix + trimmed;
  try {
    const entry = JSON.parse(trimmed) as Record<string, unknown>;
    const level = typeof entry.level === 'number' ? levels[entry.level] ?? String(entry.level) : String(entry.level ?? '');
    const extras = Object.entries(entry)
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    return `${prefix}${level.padEnd(5)} ${String(entry.msg ?? '')}${extras ? ' ' + extras : ''}`;
  } catch {
    return prefix + trimmed;
  }
}
