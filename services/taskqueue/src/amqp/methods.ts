// Every AMQP 0-9-1 method with RabbitMQ's extensions (confirm.*, basic.nack, exchange.bind/unbind,
// connection.blocked/unblocked, connection.update-secret), as one table. Encoding and decoding
// walk the table; adjacent bit fields pack into one octet as the spec requires.
import type { FieldTable } from '../broker/contract.js';
import { AmqpConnectionError, ReplyCode } from '../errors.js';
import { Reader, Writer, syntaxError } from './buffers.js';
import { readTable, writeTable } from './field-table-codec.js';

export type FieldType = 'octet' | 'short' | 'long' | 'longlong' | 'shortstr' | 'longstr' | 'bit' | 'table' | 'timestamp';

export interface MethodDef {
  classId: number;
  methodId: number;
  /** "basic.publish" */
  name: string;
  fields: ReadonlyArray<readonly [string, FieldType]>;
  /** carries content (header + body frames follow) */
  content: boolean;
}

/** decoded method arguments, keyed by camel-cased field name */
export type MethodArgs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Method {
  def: MethodDef;
  args: MethodArgs;
}

type F = readonly [string, FieldType];
const t = (n: string): F => [n, 'short'];
const ticket: F = ['ticket', 'short'];
const ss = (n: string): F => [n, 'shortstr'];
const ls = (n: string): F => [n, 'longstr'];
const bit = (n: string): F => [n, 'bit'];
const tbl = (n: string): F => [n, 'table'];
const l = (n: string): F => [n, 'long'];
const ll = (n: string): F => [n, 'longlong'];
const oct = (n: string): F => [n, 'octet'];
const closeFields: F[] = [t('replyCode'), ss('replyText'), t('classId'), t('methodId')];

const TABLE: Array<[number, number, string, F[], boolean?]> = [
  [10, 10, 'connection.start', [oct('versionMajor'), oct('versionMinor'), tbl('serverProperties'), ls('mechanisms'), ls('locales')]],
  [10, 11, 'connection.start-ok', [tbl('clientProperties'), ss('mechanism'), ls('response'), ss('locale')]],
  [10, 20, 'connection.secure', [ls('challenge')]],
  [10, 21, 'connection.secure-ok', [ls('response')]],
  [10, 30, 'connection.tune', [t('channelMax'), l('frameMax'), t('heartbeat')]],
  [10, 31, 'connection.tune-ok', [t('channelMax'), l('frameMax'), t('heartbeat')]],
  [10, 40, 'connection.open', [ss('virtualHost'), ss('capabilities'), bit('insist')]],
  [10, 41, 'connection.open-ok', [ss('knownHosts')]],
  [10, 50, 'connection.close', closeFields],
  [10, 51, 'connection.close-ok', []],
  [10, 60, 'connection.blocked', [ss('reason')]],
  [10, 61, 'connection.unblocked', []],
  [10, 70, 'connection.update-secret', [ls('newSecret'), ss('reason')]],
  [10, 71, 'connection.update-secret-ok', []],
  [20, 10, 'channel.open', [ss('outOfBand')]],
  [20, 11, 'channel.open-ok', [ls('channelId')]],
  [20, 20, 'channel.flow', [bit('active')]],
  [20, 21, 'channel.flow-ok', [bit('active')]],
  [20, 40, 'channel.close', closeFields],
  [20, 41, 'channel.close-ok', []],
  [30, 10, 'access.request', [ss('realm'), bit('exclusive'), bit('passive'), bit('active'), bit('write'), bit('read')]],
  [30, 11, 'access.request-ok', [t('ticket')]],
  [40, 10, 'exchange.declare', [ticket, ss('exchange'), ss('type'), bit('passive'), bit('durable'), bit('autoDelete'), bit('internal'), bit('nowait'), tbl('arguments')]],
  [40, 11, 'exchange.declare-ok', []],
  [40, 20, 'exchange.delete', [ticket, ss('exchange'), bit('ifUnused'), bit('nowait')]],
  [40, 21, 'exchange.delete-ok', []],
  [40, 30, 'exchange.bind', [ticket, ss('destination'), ss('source'), ss('routingKey'), bit('nowait'), tbl('arguments')]],
  [40, 31, 'exchange.bind-ok', []],
  [40, 40, 'exchange.unbind', [ticket, ss('destination'), ss('source'), ss('routingKey'), bit('nowait'), tbl('arguments')]],
  [40, 51, 'exchange.unbind-ok', []],
  [50, 10, 'queue.declare', [ticket, ss('queue'), bit('passive'), bit('durable'), bit('exclusive'), bit('autoDelete'), bit('nowait'), tbl('arguments')]],
  [50, 11, 'queue.declare-ok', [ss('queue'), l('messageCount'), l('consumerCount')]],
  [50, 20, 'queue.bind', [ticket, ss('queue'), ss('exchange'), ss('routingKey'), bit('nowait'), tbl('arguments')]],
  [50, 21, 'queue.bind-ok', []],
  [50, 30, 'queue.purge', [ticket, ss('queue'), bit('nowait')]],
  [50, 31, 'queue.purge-ok', [l('messageCount')]],
  [50, 40, 'queue.delete', [ticket, ss('queue'), bit('ifUnused'), bit('ifEmpty'), bit('nowait')]],
  [50, 41, 'queue.delete-ok', [l('messageCount')]],
  [50, 50, 'queue.unbind', [ticket, ss('queue'), ss('exchange'), ss('routingKey'), tbl('arguments')]],
  [50, 51, 'queue.unbind-ok', []],
  [60, 10, 'basic.qos', [l('prefetchSize'), t('prefetchCount'), bit('global')]],
  [60, 11, 'basic.qos-ok', []],
  [60, 20, 'basic.consume', [ticket, ss('queue'), ss('consumerTag'), bit('noLocal'), bit('noAck'), bit('exclusive'), bit('nowait'), tbl('arguments')]],
  [60, 21, 'basic.consume-ok', [ss('consumerTag')]],
  [60, 30, 'basic.cancel', [ss('consumerTag'), bit('nowait')]],
  [60, 31, 'basic.cancel-ok', [ss('consumerTag')]],
  [60, 40, 'basic.publish', [ticket, ss('exchange'), ss('routingKey'), bit('mandatory'), bit('immediate')], true],
  [60, 50, 'basic.return', [t('replyCode'), ss('replyText'), ss('exchange'), ss('routingKey')], true],
  [60, 60, 'basic.deliver', [ss('consumerTag'), ll('deliveryTag'), bit('redelivered'), ss('exchange'), ss('routingKey')], true],
  [60, 70, 'basic.get', [ticket, ss('queue'), bit('noAck')]],
  [60, 71, 'basic.get-ok', [ll('deliveryTag'), bit('redelivered'), ss('exchange'), ss('routingKey'), l('messageCount')], true],
  [60, 72, 'basic.get-empty', [ss('clusterId')]],
  [60, 80, 'basic.ack', [ll('deliveryTag'), bit('multiple')]],
  [60, 90, 'basic.reject', [ll('deliveryTag'), bit('requeue')]],
  [60, 100, 'basic.recover-async', [bit('requeue')]],
  [60, 110, 'basic.recover', [bit('requeue')]],
  [60, 111, 'basic.recover-ok', []],
  [60, 120, 'basic.nack', [ll('deliveryTag'), bit('multiple'), bit('requeue')]],
  [85, 10, 'confirm.select', [bit('nowait')]],
  [85, 11, 'confirm.select-ok', []],
  [90, 10, 'tx.select', []],
  [90, 11, 'tx.select-ok', []],
  [90, 20, 'tx.commit', []],
  [90, 21, 'tx.commit-ok', []],
  [90, 30, 'tx.rollback', []],
  [90, 31, 'tx.rollback-ok', []],
];

const byId = new Map<number, MethodDef>();
const byName = new Map<string, MethodDef>();
for (const [classId, methodId, name, fields, content] of TABLE) {
  const def: MethodDef = { classId, methodId, name, fields, content: content ?? false };
  byId.set((classId << 16) | methodId, def);
  byName.set(name, def);
}

export function methodDef(name: string): MethodDef {
  const def = byName.get(name);
  if (!def) throw new Error(`no such AMQP method ${name}`);
  return def;
}

export const allMethods = (): MethodDef[] => [...byId.values()];

/** decode a method frame payload (class id, method id, arguments) */
export function decodeMethod(buf: Buffer, start = 0, end = buf.length): Method {
  const r = new Reader(buf, start, end);
  const classId = r.u16();
  const methodId = r.u16();
  const def = byId.get((classId << 16) | methodId);
  if (!def) {
    throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unknown method class ${classId} method ${methodId}`);
  }
  const args: MethodArgs = {};
  let bits = 0;
  let bitPos = 8;
  for (const [name, type] of def.fields) {
    if (type === 'bit') {
      if (bitPos === 8) {
        bits = r.u8();
        bitPos = 0;
      }
      args[name] = (bits & (1 << bitPos++)) !== 0;
      continue;
    }
    bitPos = 8;
    switch (type) {
      case 'octet':
        args[name] = r.u8();
        break;
      case 'short':
        args[name] = r.u16();
        break;
      case 'long':
        args[name] = r.u32();
        break;
      case 'longlong':
      case 'timestamp':
        args[name] = r.u64n();
        break;
      case 'shortstr':
        args[name] = r.shortstr();
        break;
      case 'longstr':
        args[name] = r.longstrBytes();
        break;
      case 'table':
        // a queue's arguments keep their integer wire types: RabbitMQ's inequivalent-arg errors name them
        args[name] = readTable(r, 0, { typedIntegers: def.name === 'queue.declare' });
        break;
    }
  }
  if (r.pos !== end) throw syntaxError(`${def.name}: ${end - r.pos} unexpected trailing bytes`);
  return { def, args };
}

/** encode a method's payload (no frame header) into w */
export function encodeMethodPayload(w: Writer, def: MethodDef, args: MethodArgs): void {
  w.u16(def.classId);
  w.u16(def.methodId);
  let bits = 0;
  let bitPos = -1;
  const flushBits = (): void => {
    if (bitPos >= 0) {
      w.u8(bits);
      bits = 0;
      bitPos = -1;
    }
  };
  for (const [name, type] of def.fields) {
    const v = args[name];
    if (type === 'bit') {
      if (bitPos === 7) flushBits();
      bitPos++;
      if (v) bits |= 1 << bitPos;
      continue;
    }
    flushBits();
    switch (type) {
      case 'octet':
        w.u8(v ?? 0);
        break;
      case 'short':
        w.u16(v ?? 0);
        break;
      case 'long':
        w.u32(v ?? 0);
        break;
      case 'longlong':
      case 'timestamp':
        w.u64(v ?? 0);
        break;
      case 'shortstr':
        w.shortstr(v ?? '');
        break;
      case 'longstr':
        w.longstr(v ?? '');
        break;
      case 'table':
        writeTable(w, v as FieldTable | undefined);
        break;
    }
  }
  flushBits();
}

export interface PublishArgs {
  exchange: string;
  routingKey: string;
  mandatory: boolean;
  immediate: boolean;
}

/**
 * basic.publish without the table walk (the hottest inbound method). Returns null when the
 * payload is not a well-formed basic.publish, so the caller falls back to decodeMethod() and
 * its precise error.
 */
export function readPublish(buf: Buffer, start: number, end: number): PublishArgs | null {
  let p = start + 6; // class, method, ticket
  if (p >= end) return null;
  const xlen = buf[p]!;
  const xstart = p + 1;
  p = xstart + xlen;
  if (p >= end) return null;
  const rlen = buf[p]!;
  const rstart = p + 1;
  p = rstart + rlen;
  if (p !== end - 1) return null;
  const bits = buf[p]!;
  return {
    exchange: xlen === 0 ? '' : buf.toString('utf8', xstart, xstart + xlen),
    routingKey: buf.toString('utf8', rstart, rstart + rlen),
    mandatory: (bits & 1) !== 0,
    immediate: (bits & 2) !== 0,
  };
}
