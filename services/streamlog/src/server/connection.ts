import type { Socket } from 'node:net';
import type { BrokerContext, ConnectionInfo } from './context.js';
import { FrameDecoder, FrameError } from './frame-decoder.js';
import { ConnectionRejected, dispatchFrame } from './dispatch.js';
import { ProtocolError } from '../protocol/primitives/errors.js';

interface Slot {
  done: boolean;
  out: Buffer | null;
  /** close the connection once this slot's response is written */
  closeReason: string | null;
}

/**
 * One client connection. Requests are handled concurrently (a long-polling Fetch must not block a
 * Heartbeat behind it from being processed) but answered strictly in the order they arrived, as
 * the protocol requires. Bad bytes close this connection only, with a logged reason.
 */
export class Connection implements ConnectionInfo {
  readonly clientHost: string;
  saslMechanism: string | null = null;
  rawSaslTokenExpected = false;
  authenticatedAs: string | null = null;
  private readonly closeController = new AbortController();
  private readonly decoder: FrameDecoder;
  private readonly slots: Slot[] = [];
  private pendingClose: string | null = null;
  /** a response will close the connection: read nothing more */
  private closing = false;
  private paused = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly ctx: BrokerContext,
    private readonly onClosed: (c: Connection) => void,
  ) {
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    this.decoder = new FrameDecoder(ctx.config.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => ctx.log.debug({ connection: id, err: err.message }, 'socket error'));
    socket.on('close', () => this.finish());
    socket.on('drain', () => this.maybeResume());
    // connections.max.idle.ms, and a shorter limit until SASL authentication is done
    socket.on('timeout', () => {
      if (this.slots.length > 0) return; // a long poll or slow append is not idleness
      this.reject(`idle for ${this.idleLimitMs()} ms${this.awaitingAuth() ? ' before SASL authentication' : ''}`, 'idle');
    });
    socket.setTimeout(this.idleLimitMs());
  }

  private awaitingAuth(): boolean {
    return this.ctx.config.saslUsers !== null && this.authenticatedAs === null;
  }

  private idleLimitMs(): number {
    return this.awaitingAuth() ? this.ctx.config.preAuthIdleMs : this.ctx.config.connectionsMaxIdleMs;
  }

  get closed(): AbortSignal {
    return this.closeController.signal;
  }

  closeAfterResponse(reason: string): void {
    this.pendingClose = reason;
  }

  private onData(chunk: Buffer): void {
    if (this.closed.aborted) return;
    this.ctx.metrics.bytesIn.inc(chunk.length);
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      return this.reject(err instanceof FrameError ? err.message : String(err), 'frame');
    }
    for (const frame of frames) {
      if (this.closed.aborted || this.closing) return;
      const slot: Slot = { done: false, out: null, closeReason: null };
      this.slots.push(slot);
      // handlers run synchronously up to their first await, so a closeAfterResponse() call made
      // while handling this frame is seen right after dispatchFrame() returns its promise
      this.pendingClose = null;
      const result = dispatchFrame(this.ctx, this, frame);
      if (this.pendingClose !== null) {
        slot.closeReason = this.pendingClose;
        this.pendingClose = null;
        this.closing = true;
      }
      result.then(
        (out) => {
          slot.out = out;
          slot.done = true;
          this.flush();
        },
        (err: unknown) => {
          if (err instanceof ProtocolError) this.reject(`malformed request: ${err.message}`, 'protocol');
          else if (err instanceof ConnectionRejected) this.reject(err.message, err.kind);
          else {
            this.ctx.log.error({ connection: this.id, err }, 'request handler failed');
            this.reject(`internal error: ${err instanceof Error ? err.message : String(err)}`, 'internal');
          }
        },
      );
    }
    if (this.slots.length >= this.ctx.config.maxInFlightPerConnection && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private flush(): void {
    while (this.slots.length > 0 && this.slots[0].done) {
      const slot = this.slots.shift()!;
      if (slot.out && !this.closed.aborted) {
        this.ctx.metrics.bytesOut.inc(slot.out.length);
        this.socket.write(slot.out);
      }
      if (slot.closeReason !== null) {
        const reason = slot.closeReason;
        this.ctx.log.warn({ connection: this.id, client: this.clientHost, reason }, 'closing connection');
        this.ctx.metrics.closedConnections.inc({ reason: 'auth' });
        this.socket.end();
        this.finish();
        return;
      }
    }
    this.maybeResume();
    // authentication may have just completed: from now on the longer limit applies
    if (this.socket.timeout !== this.idleLimitMs()) this.socket.setTimeout(this.idleLimitMs());
  }

  private maybeResume(): void {
    if (this.paused && this.slots.length < this.ctx.config.maxInFlightPerConnection / 2 && this.socket.writableLength < 8 * 1024 * 1024) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private reject(reason: string, kind: string): void {
    if (this.closed.aborted) return;
    this.ctx.log.warn({ connection: this.id, client: this.clientHost, reason }, 'closing connection');
    this.ctx.metrics.closedConnections.inc({ reason: kind });
    this.socket.destroy();
    this.finish();
  }

  /** close from the server side (shutdown) */
  close(): void {
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed.aborted) return;
    this.closeController.abort();
    this.slots.length = 0;
    this.onClosed(this);
  }
}
