// AMQP 0-9-1 framing: type(1) channel(2) size(4) payload frame-end(0xCE). The decoder slices
// frames out of socket chunks without copying (a frame split across chunks is joined once) and
// rejects bad frame-ends, unknown types and frames larger than the negotiated frame-max.
import { AmqpConnectionError, ReplyCode } from '../errors.js';
import type { Writer } from './buffers.js';
import { encodeContentHeaderPayload } from './content-header.js';
import { encodeMethodPayload, type MethodArgs, type MethodDef } from './methods.js';
import type { MessageProperties } from '../broker/contract.js';

export const FRAME_METHOD = 1;
export const FRAME_HEADER = 2;
export const FRAME_BODY = 3;
export const FRAME_HEARTBEAT = 8;
export const FRAME_END = 0xce;
/** every peer must accept frames up to this size before tuning (spec: frame-min-size) */
export const FRAME_MIN_SIZE = 4096;
/** header (7) + frame-end (1) */
export const FRAME_OVERHEAD = 8;

export const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

export type FrameHandler = (type: number, channel: number, payload: Buffer, start: number, end: number) => void;

export class FrameDecoder {
  private pending: Buffer | null = null;
  /** negotiated frame-max (whole frame, header and end included); 0 = no limit beyond the hard cap */
  maxFrameSize = FRAME_MIN_SIZE;

  constructor(private readonly onFrame: FrameHandler) {}

  /** feed bytes; calls onFrame for each complete frame; throws AmqpConnectionError(501) on garbage */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let pos = 0;
    const len = buf.length;
    while (len - pos >= 7) {
      const type = buf[pos]!;
      if (type !== FRAME_METHOD && type !== FRAME_HEADER && type !== FRAME_BODY && type !== FRAME_HEARTBEAT) {
        throw new AmqpConnectionError(ReplyCode.FRAME_ERROR, `type ${type}, all octets = <<...>>: {invalid_frame_type,${type}}`);
      }
      const channel = buf.readUInt16BE(pos + 1);
      const size = buf.readUInt32BE(pos + 3);
      if (this.maxFrameSize > 0 && size + FRAME_OVERHEAD > this.maxFrameSize) {
        throw new AmqpConnectionError(
          ReplyCode.FRAME_ERROR,
          `frame size ${size + FRAME_OVERHEAD} exceeds the negotiated frame-max ${this.maxFrameSize}`,
        );
      }
      const total = size + FRAME_OVERHEAD;
      if (len - pos < total) break;
      if (buf[pos + total - 1] !== FRAME_END) {
        throw new AmqpConnectionError(ReplyCode.FRAME_ERROR, `frame-end octet missing (channel ${channel}, type ${type})`);
      }
      const start = pos + 7;
      pos += total;
      this.onFrame(type, channel, buf, start, start + size);
    }
    if (pos < len) this.pending = pos === 0 ? buf : buf.subarray(pos);
  }
}

/** frame header with a size placeholder; returns the mark of the payload start */
function beginFrame(w: Writer, type: number, channel: number): number {
  w.ensure(7);
  w.buf[w.pos] = type;
  w.buf.writeUInt16BE(channel, w.pos + 1);
  w.pos += 7;
  return w.mark();
}

function endFrame(w: Writer, payloadMark: number): void {
  w.patchU32(payloadMark - 4, w.mark() - payloadMark);
  w.u8(FRAME_END);
}

export function writeMethodFrame(w: Writer, channel: number, def: MethodDef, args: MethodArgs): void {
  const at = beginFrame(w, FRAME_METHOD, channel);
  try {
    encodeMethodPayload(w, def, args);
  } catch (err) {
    // never leave half a frame in the output
    w.pos = w.start + at - 7;
    throw err;
  }
  endFrame(w, at);
}

export function writeHeaderFrame(w: Writer, channel: number, bodySize: number, props: MessageProperties): void {
  const at = beginFrame(w, FRAME_HEADER, channel);
  try {
    encodeContentHeaderPayload(w, bodySize, props);
  } catch (err) {
    w.pos = w.start + at - 7;
    throw err;
  }
  endFrame(w, at);
}

/** basic.deliver, the hottest outbound method, without an args object */
export function writeDeliverFrame(
  w: Writer,
  channel: number,
  consumerTag: string,
  deliveryTag: number,
  redelivered: boolean,
  exchange: string,
  routingKey: string,
): void {
  const at = beginFrame(w, FRAME_METHOD, channel);
  w.u16(60);
  w.u16(60);
  w.shortstr(consumerTag);
  w.u64(deliveryTag);
  w.u8(redelivered ? 1 : 0);
  w.shortstr(exchange);
  w.shortstr(routingKey);
  endFrame(w, at);
}

/** basic.ack / basic.nack confirms without an args object */
export function writeConfirmFrame(w: Writer, channel: number, ack: boolean, deliveryTag: number, multiple: boolean): void {
  const at = beginFrame(w, FRAME_METHOD, channel);
  w.u16(60);
  w.u16(ack ? 80 : 120);
  w.u64(deliveryTag);
  // nack: bit 0 multiple, bit 1 requeue (always false for publisher confirms)
  w.u8(multiple ? 1 : 0);
  endFrame(w, at);
}

/** body frames, split to respect frame-max; payload copied into w */
export function writeBodyFrames(w: Writer, channel: number, body: Buffer, frameMax: number): void {
  const maxPayload = frameMax > 0 ? frameMax - FRAME_OVERHEAD : body.length;
  for (let off = 0; off < body.length; off += maxPayload) {
    const n = Math.min(maxPayload, body.length - off);
    w.ensure(n + FRAME_OVERHEAD);
    const b = w.buf;
    let p = w.pos;
    b[p] = FRAME_BODY;
    b.writeUInt16BE(channel, p + 1);
    b.writeUInt32BE(n, p + 3);
    p += 7;
    body.copy(b, p, off, off + n);
    p += n;
    b[p++] = FRAME_END;
    w.pos = p;
  }
}

export function writeHeartbeat(w: Writer): void {
  w.ensure(8);
  const b = w.buf;
  const p = w.pos;
  b[p] = FRAME_HEARTBEAT;
  b.writeUInt16BE(0, p + 1);
  b.writeUInt32BE(0, p + 3);
  b[p + 7] = FRAME_END;
  w.pos = p + 8;
}
