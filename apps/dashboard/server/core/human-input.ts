import { HumanError } from './human-error.js';
import { parseSimTime } from './sim-time.js';

// Reading what a form sent, with answers a person understands ("Offset must be a whole number
// ≥ 0") instead of a validator's ("offset: Invalid string: must match pattern /^\d+$/").

export function wholeNumber(value: unknown, what: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new HumanError(400, max === Number.MAX_SAFE_INTEGER ? `${what} must be a whole number ≥ ${min}` : `${what} must be a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

/** offsets stay strings (they may exceed 2^53 on a long-lived Kafka topic) */
export function offsetText(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (!/^\d+$/.test(text)) throw new HumanError(400, 'Offset must be a whole number ≥ 0');
  return text.replace(/^0+(?=\d)/, '');
}

const MAX_DATE_MS = 8.64e15;

/** a simulated UTC time, as epoch ms or as "2025-03-03 18:40[:05]" */
export function simTime(value: unknown, what = 'Time'): number {
  // Epoch ms a date can hold (up to the year 275760); beyond, 1e300 say, is no time at all.
  const epoch = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
  if (epoch !== null && Number.isSafeInteger(epoch) && epoch >= 0 && epoch <= MAX_DATE_MS) return epoch;
  const ms = typeof value === 'string' ? parseSimTime(value) : null;
  if (ms === null) throw new HumanError(400, `${what} must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)`);
  return ms;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new HumanError(400, `${what} must be one of: ${allowed.join(', ')}`);
}

/** a yes/no switch sent as JSON true or false (absent: false) */
export function flag(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw new HumanError(400, `${what} must be true or false`);
}

/**
 * Refuses a body field the action does not take, before anything is done: silently ignoring one
 * turned `{"limit": 5}` (the redrive CLI's word) into a redrive of up to 100 dead letters.
 */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[], action: string): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const takes = allowed.length === 0 ? 'takes no fields' : `takes ${allowed.join(', ')}`;
  throw new HumanError(400, `${action} ${takes}; ${unknown.map((k) => JSON.stringify(k)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not one of them (nothing was done)`);
}
