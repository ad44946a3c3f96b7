import { InvalidArgumentError } from 'commander';

/** A CLI time argument: epoch milliseconds or any date Date.parse reads (e.g. 2026-03-14T18:00:00Z). */
export function parseTime(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not epoch ms or an ISO date`);
  return n;
}
