// SASL mechanisms a client may pick in connection.start-ok: PLAIN ("\0user\0password", RFC 4616)
// and RabbitMQ's AMQPLAIN (a field table without its length prefix: LOGIN, PASSWORD).
import { timingSafeEqual } from 'node:crypto';
import { readTableBody } from './field-table-codec.js';

export type Users = ReadonlyMap<string, string>;

export interface Credentials {
  user: string;
  password: string;
}

/** null when the response cannot be parsed for that mechanism */
export function parseCredentials(mechanism: string, response: Buffer): Credentials | null {
  if (mechanism === 'PLAIN') {
    const parts = response.toString('utf8').split('\0');
    if (parts.length !== 3) return null;
    return { user: parts[1]!, password: parts[2]! };
  }
  if (mechanism === 'AMQPLAIN') {
    try {
      const t = readTableBody(response);
      const user = t['LOGIN'];
      const password = t['PASSWORD'];
      if (typeof user !== 'string' || typeof password !== 'string') return null;
      return { user, password };
    } catch {
      return null;
    }
  }
  return null;
}

export function checkPassword(users: Users, c: Credentials): boolean {
  const expected = users.get(c.user);
  if (expected === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(c.password);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "guest:guest,ops:secret" → Map */
export function parseUsers(spec: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const pair of spec.split(',')) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const i = trimmed.indexOf(':');
    if (i <= 0) throw new Error(`user spec "${trimmed}" must be name:password`);
    users.set(trimmed.slice(0, i), trimmed.slice(i + 1));
  }
  return users;
}
