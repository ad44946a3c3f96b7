// One client connection: the protocol header, the start/tune/open handshake, heartbeats (sent and
// enforced), channel numbers, and the close handshake. Frames for channels go to ./channel.ts.
// Output is encoded into one Writer and flushed to the socket once per event-loop turn.
import type { Socket } from 'node:net';
import os from 'node:os';
import type { Logger } from 'pino';
import type { Broker, FieldTable } from '../broker/contract.js';
import { AmqpChannelError, AmqpConnectionError, ReplyCode } from '../errors.js';
import { Writer, fitShortstr } from './buffers.js';
import { checkPassword, parseCredentials, type Users } from './auth.js';
import { Channel, type ChannelInfo } from './channel.js';
import type { DirectReplyTo } from './direct-reply-to.js';
import {
  FRAME_HEARTBEAT,
  FRAME_METHOD,
  FRAME_MIN_SIZE,
  FrameDecoder,
  PROTOCOL_HEADER,
  writeHeartbeat,
  writeMethodFrame,
} from './frame.js';
import { decodeMethod, methodDef, type MethodArgs, type MethodDef } from './methods.js';
import { LOCALES, MECHANISMS, serverProperties } from './server-properties.js';
import type { ServerStats } from './stats.js';

export interface ConnectionLimits {
  /** largest frame we accept and offer in connection.tune */
  frameMax: number;
  channelMax: number;
  /** seconds offered in connection.tune; the client's tune-ok value wins, 0 disables */
  heartbeat: number;
  /** ms allowed from TCP accept to connection.open */
  handshakeTimeoutMs: number;
  /** largest message body accepted (RabbitMQ's max_message_size) */
  maxMessageSize: number;
  /** RSS in bytes above which publishers are blocked (RabbitMQ's memory alarm); 0 = never */
  memoryHighWatermark: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  frameMax: 131072,
  channelMax: 2047,
  heartbeat: 60,
  handshakeTimeoutMs: 10_000,
  maxMessageSize: 128 * 1024 * 1024,
  // RabbitMQ's default vm_memory_high_watermark: 40% of RAM
  memoryHighWatermark: Math.floor(os.totalmem() * 0.4),
};

export interface ConnectionContext {
  broker: Broker;
  users: Users;
  limits: ConnectionLimits;
  log: Logger;
  stats: ServerStats;
  /** virtual hosts other than "/" (absent: only "/", served by `broker`) */
  vhosts?: VhostDirectory;
  /** reply consumers of direct reply-to, shared by all connections of the server */
  directReplyTo: DirectReplyTo;
  /** broker-wide sets of queues whose consumers may take more messages (pumped once per turn) */
  onClosed(conn: Connection): void;
}

/** what a connection needs to know about virtual hosts at connection.open */
export interface VhostDirectory {
  broker(vhost: string): Broker | undefined;
  allowed(user: string, vhost: string): boolean;
}

export interface ConnectionInfo {
  id: string;
  name: string;
  user: string | null;
  vhost: string;
  peerHost: string;
  peerPort: number;
  host: string;
  port: number;
  state: string;
  channels: number;
  frameMax: number;
  channelMax: number;
  heartbeat: number;
  connectedAt: number;
  clientProperties: FieldTable;
  /** bytes encoded for the client and not yet taken by the kernel (RabbitMQ's send_pend) */
  sendPending: number;
  /** the open channels, in channel-number order */
  channelList: ChannelInfo[];
}

type State = 'header' | 'start-ok' | 'tune-ok' | 'open' | 'running' | 'closing' | 'closed';

/**
 * Deliveries encoded in one go before they are handed to the socket. Together with the socket's
 * own back-pressure (write() returning false until 'drain') this bounds what the broker holds
 * for one connection: at most one batch waiting here plus one batch in the socket's buffer.
 */
const DELIVERY_BATCH_BYTES = 256 * 1024;

const M = {
  start: methodDef('connection.start'),
  tune: methodDef('connection.tune'),
  openOk: methodDef('connection.open-ok'),
  close: methodDef('connection.close'),
  closeOk: methodDef('connection.close-ok'),
  updateSecretOk: methodDef('connection.update-secret-ok'),
  blocked: methodDef('connection.blocked'),
  unblocked: methodDef('connection.unblocked'),
};

export class Connection {
  readonly name: string;
  readonly w = new Writer(4096);
  state: State = 'header';
  user: string | null = null;
  vhost = '/';
  clientProperties: FieldTable = {};
  /** client capabilities from start-ok */
  consumerCancelNotify = false;
  /** client understands connection.blocked / unblocked */
  blockedNotify = false;
  /** memory alarm in force: publishers' sockets are not read */
  blocked = false;
  private publisher = false;
  private readPaused = false;
  frameMax: number;
  channelMax: number;
  heartbeat = 0;
  readonly connectedAt = Date.now();

  private readonly channels = new Map<number, Channel>();
  private readonly decoder: FrameDecoder;
  private headerBytes: Buffer | null = null;
  private flushScheduled = false;
  private inFrames = false;
  private lastRecv = Date.now();
  private lastSend = Date.now();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private cleanedUp = false;
  /** the broker core of the vhost opened (connection.open) */
  private vhostBroker: Broker | null = null;
  /** a consumer was refused a delivery because the output was full: resume it when it empties */
  private outputWasFull = false;
  private resumeScheduled = false;
  /** queues whose consumers on this connection can take more after this turn's acks */
  readonly dirtyQueues = new Set<string>();

  constructor(
    readonly id: string,
    readonly socket: Socket,
    readonly ctx: ConnectionContext,
  ) {
    this.name = id;
    this.frameMax = ctx.limits.frameMax;
    this.channelMax = ctx.limits.channelMax;
    this.decoder = new FrameDecoder((type, channel, buf, start, end) => this.onFrame(type, channel, buf, start, end));
    this.decoder.maxFrameSize = ctx.limits.frameMax;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (err) => ctx.log.debug({ conn: this.name, err: err.message }, 'socket error'));
    socket.on('close', () => this.cleanup());
    this.handshakeTimer = setTimeout(() => {
      if (this.state !== 'running' && this.state !== 'closed') {
        ctx.log.warn({ conn: this.name, state: this.state }, 'handshake timeout');
        this.destroy();
      }
    }, ctx.limits.handshakeTimeoutMs);
    this.handshakeTimer.unref();
  }

  get log(): Logger {
    return this.ctx.log;
  }
  get broker(): Broker {
    return this.vhostBroker ?? this.ctx.broker;
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      name: this.name,
      user: this.user,
      vhost: this.vhost,
      peerHost: this.socket.remoteAddress ?? '',
      peerPort: this.socket.remotePort ?? 0,
      host: this.socket.localAddress ?? '',
      port: this.socket.localPort ?? 0,
      state: this.state,
      channels: this.channels.size,
      frameMax: this.frameMax,
      channelMax: this.channelMax,
      heartbeat: this.heartbeat,
      connectedAt: this.connectedAt,
      clientProperties: this.clientProperties,
      sendPending: this.socket.writableLength + (this.w.pos - this.w.start),
      channelList: [...this.channels.values()].sort((a, b) => a.number - b.number).map((c) => c.info()),
    };
  }

  // ---------------------------------------------------------------- input

  private onData(chunk: Buffer): void {
    try {
      this.handleData(chunk);
    } catch (err) {
      // last line of defence: whatever went wrong, it costs this connection only
      this.log.error({ conn: this.name, err }, 'unexpected error handling client data');
      this.destroy();
    }
  }

  private handleData(chunk: Buffer): void {
    this.lastRecv = Date.now();
    if (this.state === 'closed') return;
    this.ctx.stats.bytesIn += chunk.length;
    if (this.state === 'header') {
      chunk = this.readProtocolHeader(chunk) as Buffer;
      if (!chunk || chunk.length === 0) {
        this.flush();
        return;
      }
    }
    this.inFrames = true;
    try {
      this.decoder.push(chunk);
    } catch (err) {
      // a framing error: the byte stream cannot be trusted any more, so say why and hang up
      this.fail(err, 0, 0);
      this.socket.pause();
      this.endAfterFlush();
    } finally {
      this.inFrames = false;
    }
    this.pumpDirty();
    this.flush();
  }

  /** returns the bytes after the header, or null while it is incomplete */
  private readProtocolHeader(chunk: Buffer): Buffer | null {
    const buf = this.headerBytes ? Buffer.concat([this.headerBytes, chunk]) : chunk;
    if (buf.length < 8) {
      // reject early if what we have already differs
      if (!PROTOCOL_HEADER.subarray(0, buf.length).equals(buf)) return this.badProtocolHeader();
      this.headerBytes = buf;
      return null;
    }
    this.headerBytes = null;
    if (!PROTOCOL_HEADER.equals(buf.subarray(0, 8))) return this.badProtocolHeader();
    this.state = 'start-ok';
    this.sendMethod(0, M.start, {
      versionMajor: 0,
      versionMinor: 9,
      serverProperties: serverProperties(),
      mechanisms: MECHANISMS,
      locales: LOCALES,
    });
    return buf.subarray(8);
  }

  private badProtocolHeader(): null {
    // the spec's answer: our protocol header, then close
    this.log.info({ conn: this.name }, 'bad protocol header');
    this.state = 'closed';
    this.socket.end(PROTOCOL_HEADER);
    return null;
  }

  private onFrame(type: number, channel: number, buf: Buffer, start: number, end: number): void {
    try {
      this.handleFrame(type, channel, buf, start, end);
    } catch (err) {
      // errors from a method carry its class and method ids in connection.close
      const isMethod = type === FRAME_METHOD && end - start >= 4;
      this.fail(err, isMethod ? buf.readUInt16BE(start) : 0, isMethod ? buf.readUInt16BE(start + 2) : 0);
    }
  }

  private handleFrame(type: number, channel: number, buf: Buffer, start: number, end: number): void {
    if (this.state === 'closed') return;
    if (this.state === 'closing') {
      if (type === FRAME_METHOD && channel === 0) this.onMethodWhileClosing(buf, start, end);
      return;
    }
    if (type === FRAME_HEARTBEAT) {
      if (channel !== 0) {
        throw new AmqpConnectionError(ReplyCode.FRAME_ERROR, `heartbeat frame on channel ${channel}`);
      }
      return;
    }
    if (channel === 0) {
      if (type !== FRAME_METHOD) {
        throw new AmqpConnectionError(ReplyCode.UNEXPECTED_FRAME, `unexpected content frame type ${type} on channel 0`);
      }
      const m = decodeMethod(buf, start, end);
      this.onConnectionMethod(m.def, m.args);
      return;
    }
    if (this.state !== 'running') {
      throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `frame on channel ${channel} before connection.open`);
    }
    let ch = this.channels.get(channel);
    if (!ch) {
      if (channel > this.channelMax) {
        throw new AmqpConnectionError(ReplyCode.CHANNEL_ERROR, `channel ${channel} exceeds channel-max ${this.channelMax}`);
      }
      ch = new Channel(this, channel);
      this.channels.set(channel, ch);
      this.ctx.stats.channels++;
    }
    ch.onFrame(type, buf, start, end);
  }

  private onMethodWhileClosing(buf: Buffer, start: number, end: number): void {
    let m;
    try {
      m = decodeMethod(buf, start, end);
    } catch {
      return;
    }
    if (m.def.name === 'connection.close-ok') this.destroy();
    else if (m.def.name === 'connection.close') {
      this.sendMethod(0, M.closeOk, {});
      this.endAfterFlush();
    }
  }

  private onConnectionMethod(def: MethodDef, a: MethodArgs): void {
    const expect = (name: string): void => {
      if (def.name !== name) {
        throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `expected '${name}', got '${def.name}'`);
      }
    };
    if (def.name === 'connection.close' && this.state !== 'running') {
      // a client may give up mid-handshake
      this.cleanup();
      this.state = 'closing';
      this.sendMethod(0, M.closeOk, {});
      this.endAfterFlush();
      return;
    }
    switch (this.state) {
      case 'start-ok':
        expect('connection.start-ok');
        return this.onStartOk(a);
      case 'tune-ok':
        expect('connection.tune-ok');
        return this.onTuneOk(a);
      case 'open':
        expect('connection.open');
        return this.onOpen(a);
      default:
        break;
    }
    switch (def.name) {
      case 'connection.close':
        this.log.debug({ conn: this.name, code: a.replyCode, text: a.replyText }, 'client closed connection');
        this.cleanup();
        this.state = 'closing';
        this.sendMethod(0, M.closeOk, {});
        this.endAfterFlush();
        return;
      case 'connection.close-ok':
        // close-ok without our close: treat as the end
        this.destroy();
        return;
      case 'connection.blocked':
      case 'connection.unblocked':
        return;
      case 'connection.update-secret':
        this.sendMethod(0, M.updateSecretOk, {});
        return;
      default:
        throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unexpected '${def.name}' on channel 0`);
    }
  }

  private onStartOk(a: MethodArgs): void {
    this.clientProperties = a.clientProperties as FieldTable;
    const caps = this.clientProperties['capabilities'];
    if (caps && typeof caps === 'object' && !Array.isArray(caps)) {
      this.consumerCancelNotify = (caps as FieldTable)['consumer_cancel_notify'] === true;
      this.blockedNotify = (caps as FieldTable)['connection.blocked'] === true;
    }
    const mechanism = a.mechanism as string;
    if (mechanism !== 'PLAIN' && mechanism !== 'AMQPLAIN') {
      throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unknown authentication mechanism '${mechanism}'`);
    }
    const creds = parseCredentials(mechanism, a.response as Buffer);
    if (!creds || !checkPassword(this.ctx.users, creds)) {
      this.log.warn({ conn: this.name, user: creds?.user, mechanism }, 'login refused');
      throw new AmqpConnectionError(
        ReplyCode.ACCESS_REFUSED,
        `Login was refused using authentication mechanism ${mechanism}. For details see the broker logfile.`,
      );
    }
    this.user = creds.user;
    this.state = 'tune-ok';
    this.sendMethod(0, M.tune, {
      channelMax: this.ctx.limits.channelMax,
      frameMax: this.ctx.limits.frameMax,
      heartbeat: this.ctx.limits.heartbeat,
    });
  }

  private onTuneOk(a: MethodArgs): void {
    const serverMax = this.ctx.limits.frameMax;
    const frameMax = a.frameMax as number;
    if (frameMax !== 0 && frameMax < FRAME_MIN_SIZE) {
      throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `frame_max=${frameMax} < ${FRAME_MIN_SIZE} min size`);
    }
    if (frameMax > serverMax) {
      throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `frame_max=${frameMax} > ${serverMax} max size`);
    }
    this.frameMax = frameMax === 0 ? serverMax : frameMax;
    this.decoder.maxFrameSize = this.frameMax;
    const channelMax = a.channelMax as number;
    if (channelMax > this.ctx.limits.channelMax) {
      throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `channel_max=${channelMax} > ${this.ctx.limits.channelMax} max`);
    }
    this.channelMax = channelMax === 0 ? this.ctx.limits.channelMax : channelMax;
    this.heartbeat = a.heartbeat as number;
    this.state = 'open';
    this.startHeartbeats();
  }

  private onOpen(a: MethodArgs): void {
    const vhost = a.virtualHost as string;
    const vhosts = this.ctx.vhosts;
    const broker = vhosts ? vhosts.broker(vhost) : vhost === '/' ? this.ctx.broker : undefined;
    if (!broker) throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `vhost ${vhost} not found`);
    if (vhosts && !vhosts.allowed(this.user!, vhost)) {
      throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `access to vhost '${vhost}' refused for user '${this.user}'`);
    }
    this.vhostBroker = broker;
    this.vhost = vhost;
    this.state = 'running';
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.ctx.stats.connectionsOpened++;
    this.sendMethod(0, M.openOk, { knownHosts: '' });
    this.log.info({ conn: this.name, user: this.user }, 'connection open');
  }

  private startHeartbeats(): void {
    if (this.heartbeat <= 0) return;
    const intervalMs = this.heartbeat * 1000;
    // RabbitMQ sends at half the interval and gives up after two silent intervals
    const tickMs = Math.max(100, intervalMs / 2);
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      // while we deliberately do not read (memory alarm) the client's heartbeats sit unread
      if (!this.readPaused && now - this.lastRecv > 2 * intervalMs) {
        this.log.warn({ conn: this.name, timeoutSeconds: this.heartbeat }, 'missed heartbeats from client, closing');
        this.destroy();
        return;
      }
      if (now - this.lastSend >= tickMs) {
        writeHeartbeat(this.w);
        this.flush();
      }
    }, tickMs);
    this.heartbeatTimer.unref();
  }

  // ---------------------------------------------------------------- memory alarm

  /** the server's memory alarm changed: tell the client, stop or resume reading a publisher */
  setBlocked(blocked: boolean): void {
    if (this.blocked === blocked || this.state === 'closing' || this.state === 'closed') return;
    this.blocked = blocked;
    if (this.state === 'running' && this.blockedNotify) {
      this.sendMethod(0, blocked ? M.blocked : M.unblocked, blocked ? { reason: 'low on memory' } : {});
      this.flush();
    }
    if (blocked) {
      if (this.publisher) this.pauseReading();
    } else if (this.readPaused) {
      this.readPaused = false;
      this.lastRecv = Date.now();
      this.socket.resume();
    }
  }

  /** a channel published: while blocked, that is the last thing we read from this client */
  notePublish(): void {
    this.publisher = true;
    if (this.blocked && !this.readPaused) this.pauseReading();
  }

  private pauseReading(): void {
    this.readPaused = true;
    this.socket.pause();
  }

  // ---------------------------------------------------------------- errors and close

  /** turn an exception from handling a frame into the AMQP answer */
  fail(err: unknown, classId: number, methodId: number): void {
    if (err instanceof AmqpConnectionError) {
      this.closeWithError(err.code, err.replyText, classId, methodId);
    } else if (err instanceof AmqpChannelError) {
      // a channel error where no channel applies (channel 0): escalate like RabbitMQ does
      this.closeWithError(err.code, err.replyText, classId, methodId);
    } else {
      this.log.error({ conn: this.name, err }, 'internal error');
      this.closeWithError(ReplyCode.INTERNAL_ERROR, `INTERNAL_ERROR - ${(err as Error)?.message ?? err}`, classId, methodId);
    }
  }

  closeWithError(code: number, text: string, classId: number, methodId: number): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.log.info({ conn: this.name, code, text, classId, methodId }, 'closing connection with error');
    const early = this.state !== 'running';
    this.cleanup();
    this.state = 'closing';
    this.sendMethod(0, M.close, { replyCode: code, replyText: fitShortstr(text), classId, methodId });
    if (early) {
      // refused logins and broken handshakes: say why, then hang up (RabbitMQ does the same)
      this.endAfterFlush();
    } else {
      this.closeTimer = setTimeout(() => this.destroy(), 3000);
      this.closeTimer.unref();
    }
  }

  /** connection.close 320 (shutdown, a deleted vhost, the management API) and a short grace for close-ok */
  forceClose(reason: string): void {
    if (this.state === 'running') {
      this.closeWithError(ReplyCode.CONNECTION_FORCED, `CONNECTION_FORCED - ${reason}`, 0, 0);
      this.flush();
    } else {
      this.destroy();
    }
  }

  private endAfterFlush(): void {
    this.flush();
    this.socket.end();
    if (!this.closeTimer) {
      this.closeTimer = setTimeout(() => this.destroy(), 1000);
      this.closeTimer.unref();
    }
  }

  destroy(): void {
    this.cleanup();
    this.state = 'closed';
    this.socket.destroy();
  }

  /** release everything the connection holds in the broker; idempotent */
  private cleanup(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.heartbeatTimer = this.handshakeTimer = null;
    for (const ch of this.channels.values()) ch.teardown();
    this.ctx.stats.channels -= this.channels.size;
    this.channels.clear();
    try {
      this.broker.connectionClosed(this.id);
    } catch (err) {
      this.log.error({ conn: this.name, err }, 'broker.connectionClosed failed');
    }
    this.dirtyQueues.clear();
    if (this.socket.destroyed || this.state === 'closed') {
      if (this.closeTimer) clearTimeout(this.closeTimer);
    }
    this.ctx.onClosed(this);
  }

  /** channel finished its close handshake: its number may be reused */
  releaseChannel(num: number): void {
    if (this.channels.delete(num)) this.ctx.stats.channels--;
  }

  // ---------------------------------------------------------------- output

  sendMethod(channel: number, def: MethodDef, args: MethodArgs): void {
    writeMethodFrame(this.w, channel, def, args);
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushScheduled || this.inFrames) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    const out = this.w.take();
    if (!out) return;
    if (this.socket.destroyed || this.state === 'closed') return;
    this.lastSend = Date.now();
    this.ctx.stats.bytesOut += out.length;
    const accepted = this.socket.write(out);
    // The socket took the batch without filling up (on loopback the kernel often swallows a
    // whole batch at once, and then no 'drain' ever comes): consumers held back by a full batch
    // continue on the next turn, after other connections' I/O had its turn.
    if (accepted && this.outputWasFull) this.scheduleResume();
  }

  /**
   * Consumers stop taking messages while a batch is waiting to be written or the socket is full
   * (its last write() returned false and 'drain' has not come yet). No fixed byte budget: a
   * consumer is never stranded, it just waits for the socket, and the broker never holds more
   * than about two batches for a slow reader.
   */
  get writeBackedUp(): boolean {
    const full = this.socket.writableNeedDrain || this.w.pos - this.w.start >= DELIVERY_BATCH_BYTES;
    if (full) this.outputWasFull = true;
    return full;
  }

  private scheduleResume(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      if (this.state === 'closed' || this.socket.destroyed || this.socket.writableNeedDrain) return;
      this.resumeDeliveries();
    });
  }

  private onDrain(): void {
    this.resumeDeliveries();
  }

  private resumeDeliveries(): void {
    this.outputWasFull = false;
    for (const ch of this.channels.values()) ch.wakeConsumers();
    this.pumpDirty();
    this.flush();
  }

  /** offer messages again to queues whose consumers on this connection gained room */
  pumpDirty(): void {
    if (this.dirtyQueues.size === 0) return;
    const queues = [...this.dirtyQueues];
    this.dirtyQueues.clear();
    for (const q of queues) {
      try {
        this.broker.pump(q);
      } catch (err) {
        if (!(err instanceof AmqpChannelError)) this.log.error({ conn: this.name, queue: q, err }, 'pump failed');
      }
    }
  }
}
