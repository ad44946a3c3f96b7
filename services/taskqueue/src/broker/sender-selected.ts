// Sender-selected distribution (RabbitMQ's CC and BCC headers): the routing keys listed in them
// are routed as well as the message's own, and BCC is taken off the message before any queue
// sees it. As in RabbitMQ, only arrays are read; other values are ignored.

import type { FieldTable, FieldValue, Message } from './contract.js';

function keysOf(v: FieldValue | undefined): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const k of v) {
    if (typeof k === 'string') out.push(k);
    else if (Buffer.isBuffer(k)) out.push(k.toString('utf8'));
  }
  return out;
}

/** the extra routing keys and the message as queues store it (BCC removed), or null when neither header is there */
export function senderSelected(message: Message): { keys: string[]; message: Message } | null {
  const headers = message.properties.headers;
  if (!headers || (headers['CC'] === undefined && headers['BCC'] === undefined)) return null;
  const keys = [...keysOf(headers['CC']), ...keysOf(headers['BCC'])];
  if (headers['BCC'] === undefined) return { keys, message };
  const { BCC: _bcc, ...rest } = headers;
  const stripped: FieldTable = rest;
  return { keys, message: { ...message, properties: { ...message.properties, headers: stripped } } };
}
