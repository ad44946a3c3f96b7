// The queue-vs-log step's evidence that reading the log deleted nothing, in words that match the
// numbers: the step takes a second or two, and when nothing was written meanwhile the end offset
// is unchanged, where "grew 20966 → 20966" contradicted itself.

export interface LogEnds { low: number; high: number }

export function logKeptWords(topic: string, before: LogEnds, after: LogEnds): string {
  const start = after.low === before.low ? `kept its first offset (${before.low} → ${after.low})` : `moved its first offset ${before.low} → ${after.low} (records were deleted by retention or an admin, not by a read)`;
  const end = after.high > before.high ? `grew ${before.high} → ${after.high}` : after.high === before.high ? `kept its end (${after.high}: nothing was written meanwhile)` : `its end went back ${before.high} → ${after.high}`;
  return `meanwhile ${topic} ${start} and ${end}: every reader's reads deleted nothing.`;
}
