// A dead letter's reason can be a validator's full report (hundreds of characters). The
// walkthrough shows it in one line, the first problem and how many more, and keeps the full text
// as a detail the reader can open.

const MAX = 110;

export function summariseReason(reason: string): string {
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  const parts = oneLine.split(/;\s+/).filter(Boolean);
  let first = parts[0] ?? oneLine;
  if (first.length > MAX) first = first.slice(0, MAX - 1).trimEnd() + '…';
  const more = parts.length - 1;
  return more > 0 ? `${first} (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : first;
}
