// Dead-lettering as RabbitMQ does it: the message is republished to the queue's
// x-dead-letter-exchange with x-dead-letter-routing-key (or its original routing keys), its
// expiration removed (kept as original-expiration), and the x-death header updated: one table per
// (queue, reason), newest first, with a count that grows when the same queue and reason repeat.
// x-first-death-* are set once; x-last-death-* on every death (RabbitMQ 3.13+).

import type { FieldTable, FieldValue, Message } from './contract.js';
import { numberArg, stringArg } from './field-table-values.js';
import type { DeadLetterReason } from './queue.js';

export interface DeadLetterTarget {
  exchange: string;
  routingKey: string | undefined;
}

export function deadLetteredMessage(original: Message, queue: string, reason: DeadLetterReason, target: DeadLetterTarget, now = Date.now()): Message {
  const props = { ...original.properties };
  const headers: FieldTable = { ...(props.headers ?? {}) };
  const routingKeys: FieldValue[] = [original.routingKey, ...ccKeys(headers)];

  const previous = Array.isArray(headers['x-death']) ? (headers['x-death'] as FieldValue[]) : [];
  const tables = previous.filter((t): t is FieldTable => typeof t === 'object' && t !== null && !Array.isArray(t) && !Buffer.isBuffer(t) && !(t instanceof Date));
  const sameIndex = tables.findIndex((t) => stringArg(t.queue) === queue && stringArg(t.reason) === reason);
  let entry: FieldTable;
  if (sameIndex >= 0) {
    const old = tables[sameIndex];
    entry = { ...old, count: { type: 'long', value: (numberArg(old.count) ?? 0) + 1 } };
    tables.splice(sameIndex, 1);
  } else {
    entry = {
      count: { type: 'long', value: 1 },
      reason,
      queue,
      time: new Date(Math.floor(now / 1000) * 1000),
      exchange: original.exchange,
      'routing-keys': routingKeys,
    };
    if (props.expiration !== undefined) entry['original-expiration'] = props.expiration;
  }
  headers['x-death'] = [sortTable(entry), ...tables];
  if (headers['x-first-death-reason'] === undefined) {
    headers['x-first-death-reason'] = reason;
    headers['x-first-death-queue'] = queue;
    headers['x-first-death-exchange'] = original.exchange;
  }
  headers['x-last-death-reason'] = reason;
  headers['x-last-death-queue'] = queue;
  headers['x-last-death-exchange'] = original.exchange;
  delete props.expiration;
  // CC/BCC were consumed by the first routing; RabbitMQ strips BCC
  delete headers.BCC;
  props.headers = headers;
  return {
    exchange: target.exchange,
    routingKey: target.routingKey ?? original.routingKey,
    properties: props,
    body: original.body,
  };
}

/** RabbitMQ drops a dead-lettered message that would cycle back to a queue without any rejection on the way */
export function isDeadLetterCycle(message: Message, targetQueue: string): boolean {
  const deaths = message.properties.headers?.['x-death'];
  if (!Array.isArray(deaths)) return false;
  let seen = false;
  for (const t of deaths as FieldTable[]) {
    if (stringArg(t.reason) === 'rejected') return false;
    if (stringArg(t.queue) === targetQueue) seen = true;
  }
  return seen;
}

function ccKeys(headers: FieldTable): string[] {
  const cc = headers.CC;
  return Array.isArray(cc) ? cc.map((v) => stringArg(v)).filter((s): s is string => s !== undefined) : [];
}

function sortTable(t: FieldTable): FieldTable {
  const out: FieldTable = {};
  for (const k of Object.keys(t).sort()) out[k] = t[k];
  return out;
}
