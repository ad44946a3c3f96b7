// Helpers over decoded AMQP field tables: reading numeric/string arguments whatever wire type the
// client chose, comparing tables for binding identity, and RabbitMQ's way of naming a value's type
// in "inequivalent arg" errors.

import type { FieldTable, FieldValue } from './contract.js';

type Tagged = { type: string; value: number | bigint };

function isTagged(v: FieldValue): v is Tagged {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date)
    && typeof (v as { type?: unknown }).type === 'string' && 'value' in v;
}

/** the numeric value of an argument (number, bigint or a typed number), else undefined */
export function numberArg(v: FieldValue | undefined): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isTagged(v)) return Number(v.value);
  return undefined;
}

export function stringArg(v: FieldValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

/** a canonical, comparable rendering of a value (numbers compare by value, whatever their wire type) */
export function canonical(v: FieldValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `n:${v}`;
  if (typeof v === 'number') return `n:${v}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `b:${v}`;
  if (Buffer.isBuffer(v)) return `s:${JSON.stringify(v.toString('utf8'))}`;
  if (v instanceof Date) return `t:${Math.floor(v.getTime() / 1000)}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isTagged(v)) return `n:${v.value}`;
  if ((v as { type?: unknown }).type === 'decimal') {
    const d = v as { scale: number; value: number };
    return `n:${d.value / 10 ** d.scale}`;
  }
  return canonicalTable(v as FieldTable);
}

export function canonicalTable(t: FieldTable | undefined): string {
  if (!t) return '{}';
  const keys = Object.keys(t).filter((k) => t[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(t[k])}`).join(',')}}`;
}

/** RabbitMQ's type name of a field value, as its error texts print it */
export function rabbitTypeName(v: FieldValue): string {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return 'longstr';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'long';
  if (typeof v === 'number') {
    // decoded numbers lose their wire type; name the one amqplib (and most clients) would pick
    if (!Number.isInteger(v)) return 'double';
    if (v >= -128 && v < 128) return 'byte';
    if (v >= -0x8000 && v < 0x8000) return 'short';
    return v >= -2147483648 && v <= 2147483647 ? 'signedint' : 'long';
  }
  if (v instanceof Date) return 'timestamp';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'void';
  if (isTagged(v)) {
    const map: Record<string, string> = {
      int: 'signedint', long: 'long', short: 'short', byte: 'byte', float: 'float', double: 'double', unsigned: 'unsignedint',
      unsignedbyte: 'unsignedbyte', unsignedshort: 'unsignedshort',
    };
    return map[v.type] ?? v.type;
  }
  return 'table';
}

export function rabbitValueText(v: FieldValue): string {
  if (v instanceof Date) return String(Math.floor(v.getTime() / 1000));
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  // Erlang prints a float with its fraction ('7.0'), an integer without
  if (isTagged(v)) return (v.type === 'float' || v.type === 'double') && Number.isInteger(Number(v.value)) ? `${v.value}.0` : String(v.value);
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) return JSON.stringify(v);
  return String(v);
}
