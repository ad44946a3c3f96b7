// The codecs against bytes worked out by hand from the AMQP 0-9-1 spec and RabbitMQ's errata.
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../../src/amqp/buffers.js';
import { decodeContentHeader } from '../../src/amqp/content-header.js';
import { readTable, writeTable } from '../../src/amqp/field-table-codec.js';
import { FrameDecoder, writeBodyFrames, writeHeaderFrame, writeMethodFrame } from '../../src/amqp/frame.js';
import { allMethods, decodeMethod, encodeMethodPayload, methodDef } from '../../src/amqp/methods.js';
import { AmqpConnectionError } from '../../src/errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

function written(fn: (w: Writer) => void): Buffer {
  const w = new Writer(16);
  fn(w);
  return Buffer.from(w.take() ?? Buffer.alloc(0));
}

describe('method frames', () => {
  it('encodes connection.start byte for byte', () => {
    const bytes = written((w) =>
      writeMethodFrame(w, 0, methodDef('connection.start'), {
        versionMajor: 0,
        versionMinor: 9,
        serverProperties: { product: 'X' },
        mechanisms: 'PLAIN',
        locales: 'en_US',
      }),
    );
    const expected = hex(
      '01 0000 0000002a' + // method frame, channel 0, 42-byte payload
        '000a 000a' + // connection.start
        '00 09' + // version 0-9
        '0000000e 07' + ascii('product') + '53 00000001' + ascii('X') + // {product: "X"} as longstr
        '00000005' + ascii('PLAIN') +
        '00000005' + ascii('en_US') +
        'ce',
    );
    expect(bytes.toString('hex')).toBe(expected.toString('hex'));
    const m = decodeMethod(bytes, 7, bytes.length - 1);
    expect(m.def.name).toBe('connection.start');
    expect(m.args.serverProperties).toEqual({ product: 'X' });
    expect(m.args.mechanisms.toString()).toBe('PLAIN');
  });

  it('encodes basic.publish, its content header and body frames byte for byte', () => {
    const bytes = written((w) => {
      writeMethodFrame(w, 1, methodDef('basic.publish'), { ticket: 0, exchange: 'ex', routingKey: 'rk', mandatory: true, immediate: false });
      writeHeaderFrame(w, 1, 5, { contentType: 'text/plain', deliveryMode: 2 });
      writeBodyFrames(w, 1, Buffer.from('hello'), 4096);
    });
    const expected =
      '01 0001 0000000d 003c 0028 0000 02' + ascii('ex') + '02' + ascii('rk') + '01 ce' +
      '02 0001 0000001a 003c 0000 0000000000000005 9000 0a' + ascii('text/plain') + '02 ce' +
      '03 0001 00000005' + ascii('hello') + 'ce';
    expect(bytes.toString('hex')).toBe(hex(expected).toString('hex'));

    const frames: Array<[number, number, Buffer]> = [];
    new FrameDecoder((t, ch, buf, s, e) => frames.push([t, ch, Buffer.from(buf.subarray(s, e))])).push(bytes);
    expect(frames.map((f) => f[0])).toEqual([1, 2, 3]);
    expect(decodeMethod(frames[0]![2]).args).toEqual({ ticket: 0, exchange: 'ex', routingKey: 'rk', mandatory: true, immediate: false });
    expect(decodeContentHeader(frames[1]![2])).toEqual({ classId: 60, bodySize: 5, properties: { contentType: 'text/plain', deliveryMode: 2 } });
    expect(frames[2]![2].toString()).toBe('hello');
  });

  it('packs consecutive bits into one octet (queue.declare)', () => {
    const w = new Writer();
    encodeMethodPayload(w, methodDef('queue.declare'), { queue: 'q', passive: false, durable: true, exclusive: false, autoDelete: true, nowait: true, arguments: {} });
    // durable (bit 1) + auto-delete (bit 3) + no-wait (bit 4) = 0b11010
    expect(w.take()!.toString('hex')).toBe('0032000a' + '0000' + '0171' + '1a' + '00000000');
  });

  it('round-trips every method in the table', () => {
    const sample = (type: string, i: number): unknown =>
      ({ octet: 7, short: 513, long: 70000, longlong: 2 ** 40 + i, shortstr: `s${i}`, longstr: Buffer.from(`long${i}`), bit: i % 2 === 0, table: { k: i }, timestamp: 5 })[type];
    for (const def of allMethods()) {
      const args: Record<string, unknown> = {};
      def.fields.forEach(([name, type], i) => (args[name] = sample(type, i)));
      const w = new Writer();
      encodeMethodPayload(w, def, args);
      const m = decodeMethod(w.take() ?? Buffer.alloc(4));
      expect(m.def).toBe(def);
      // a queue's declare arguments keep their integer wire type (written as a signed int)
      const typed = def.name === 'queue.declare' ? { ...args, arguments: { k: { type: 'int', value: (args.arguments as { k: number }).k } } } : args;
      expect(m.args).toEqual(typed);
    }
    expect(allMethods().map((d) => d.name)).toEqual(expect.arrayContaining(['confirm.select', 'basic.nack', 'exchange.bind', 'exchange.unbind', 'connection.blocked', 'connection.unblocked']));
  });

  it('rejects unknown methods (503) and truncated arguments (502)', () => {
    expect(() => decodeMethod(hex('00ff0001'))).toThrow(expect.objectContaining({ code: 503 }));
    expect(() => decodeMethod(hex('003c0028 0000 05 6162'))).toThrow(expect.objectContaining({ code: 502 }));
    expect(() => decodeMethod(hex('003c0050 00000000000000'))).toThrow(AmqpConnectionError);
  });
});

describe('field tables', () => {
  // one entry per value type RabbitMQ puts on the wire
  const entries =
    '01' + ascii('t') + '74 01' +
    '01' + ascii('b') + '62 ff' +
    '01' + ascii('B') + '42 ff' +
    '01' + ascii('s') + '73 fffe' +
    '01' + ascii('u') + '75 ffff' +
    '01' + ascii('I') + '49 fffffffd' +
    '01' + ascii('i') + '69 ffffffff' +
    '01' + ascii('l') + '6c fffffffffffffffc' +
    '01' + ascii('f') + '66 3fc00000' +
    '01' + ascii('d') + '64 4004000000000000' +
    '01' + ascii('D') + '44 02 00003039' +
    '01' + ascii('S') + '53 00000003 68c3a9' +
    '01' + ascii('x') + '78 00000003 010203' +
    '01' + ascii('A') + '41 0000000b 49 00000001 53 00000001 61' +
    '01' + ascii('T') + '54 000000006553f100' +
    '01' + ascii('F') + '46 00000003 01' + ascii('k') + '56' +
    '01' + ascii('V') + '56';
  const body = hex(entries);
  const table = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);

  it('decodes every value type', () => {
    const t = readTable(new Reader(table, 0, table.length));
    expect(t).toEqual({
      t: true,
      b: -1,
      B: 255,
      s: -2,
      u: 65535,
      I: -3,
      i: 4294967295,
      l: -4,
      f: { type: 'float', value: 1.5 },
      d: { type: 'double', value: 2.5 },
      D: { type: 'decimal', scale: 2, value: 12345 },
      S: 'hé',
      x: Buffer.from([1, 2, 3]),
      A: [1, 'a'],
      T: new Date(1700000000 * 1000),
      F: { k: null },
      V: null,
    });
  });

  it('re-encodes decoded values without losing them', () => {
    const t = readTable(new Reader(table, 0, table.length));
    const again = written((w) => writeTable(w, t));
    expect(readTable(new Reader(again, 0, again.length))).toEqual(t);
  });

  it('encodes plain JS values with the types amqplib and RabbitMQ use', () => {
    const bytes = written((w) => writeTable(w, { n: 1, big: 2 ** 40, neg: -5n, s: 'a', ok: false, d: 0.5, nul: null }));
    const expected =
      '01' + ascii('n') + '49 00000001' +
      '03' + ascii('big') + '6c 0000010000000000' +
      '03' + ascii('neg') + '6c fffffffffffffffb' +
      '01' + ascii('s') + '53 00000001 61' +
      '02' + ascii('ok') + '74 00' +
      '01' + ascii('d') + '64 3fe0000000000000' +
      '03' + ascii('nul') + '56';
    expect(bytes.subarray(4).toString('hex')).toBe(hex(expected).toString('hex'));
    expect(bytes.readUInt32BE(0)).toBe(bytes.length - 4);
  });

  it('rejects unknown types and lengths beyond the payload (502)', () => {
    const bad = hex('00000004 01 61 51 00');
    expect(() => readTable(new Reader(bad, 0, bad.length))).toThrow(expect.objectContaining({ code: 502 }));
    const long = hex('000000ff 01 61 56');
    expect(() => readTable(new Reader(long, 0, long.length))).toThrow(expect.objectContaining({ code: 502 }));
  });
});

describe('content header', () => {
  it('round-trips all basic properties', () => {
    const properties = {
      contentType: 'application/json',
      contentEncoding: 'gzip',
      headers: { 'x-death': [{ count: 1, reason: 'rejected' }] },
      deliveryMode: 2,
      priority: 5,
      correlationId: 'c',
      replyTo: 'r',
      expiration: '60000',
      messageId: 'm',
      timestamp: 1700000000n,
      type: 't',
      userId: 'guest',
      appId: 'a',
      clusterId: 'x',
    };
    const bytes = written((w) => writeHeaderFrame(w, 3, 1234, properties));
    expect(bytes.readUInt16BE(7 + 12)).toBe(0xfffc);
    expect(decodeContentHeader(bytes, 7, bytes.length - 1)).toEqual({ classId: 60, bodySize: 1234, properties });
  });
});

describe('frame decoder', () => {
  const frames = written((w) => {
    writeMethodFrame(w, 1, methodDef('basic.publish'), { exchange: '', routingKey: 'q', mandatory: false, immediate: false });
    writeHeaderFrame(w, 1, 3, {});
    writeBodyFrames(w, 1, Buffer.from('abc'), 4096);
  });

  it('reassembles frames split at every byte boundary', () => {
    for (let cut = 1; cut < frames.length; cut++) {
      const seen: number[] = [];
      const d = new FrameDecoder((t) => seen.push(t));
      d.push(frames.subarray(0, cut));
      d.push(frames.subarray(cut));
      expect(seen).toEqual([1, 2, 3]);
    }
  });

  it('splits bodies larger than frame-max into several body frames', () => {
    const body = Buffer.alloc(10000, 7);
    const bytes = written((w) => writeBodyFrames(w, 1, body, 4096));
    const sizes: number[] = [];
    new FrameDecoder((_t, _c, _b, s, e) => sizes.push(e - s)).push(bytes);
    expect(sizes).toEqual([4088, 4088, 1824]);
  });

  it('rejects a missing frame-end, unknown frame types and oversized frames with 501', () => {
    const broken = Buffer.from(frames);
    broken[broken.length - 1] = 0;
    expect(() => new FrameDecoder(() => {}).push(broken)).toThrow(expect.objectContaining({ code: 501 }));
    expect(() => new FrameDecoder(() => {}).push(hex('09 0000 00000000 ce'))).toThrow(expect.objectContaining({ code: 501 }));
    const d = new FrameDecoder(() => {});
    d.maxFrameSize = 4096;
    expect(() => d.push(hex('03 0001 00001000'))).toThrow(expect.objectContaining({ code: 501 }));
  });
});
