// Test fixtures: an embedded taskqueue on ephemeral ports in a temp dir, and a raw AMQP socket
// client (our own codec) for the byte-level cases real client libraries will not produce.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writer } from '../../src/amqp/buffers.js';
import { FrameDecoder, PROTOCOL_HEADER, writeMethodFrame } from '../../src/amqp/frame.js';
import { decodeMethod, methodDef, type Method } from '../../src/amqp/methods.js';
import { startTaskqueue, type TaskqueueHandle, type TaskqueueOptions } from '../../src/index.js';

export interface TestBroker extends TaskqueueHandle {
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestBroker(options: Partial<TaskqueueOptions> = {}): Promise<TestBroker> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-'));
  const tq = await startTaskqueue({ port: 0, dataDir, durability: 'none', ...options });
  return Object.assign(tq, {
    dataDir,
    stop: async () => {
      await tq.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface RawFrame {
  type: number;
  channel: number;
  payload: Buffer;
  method?: Method;
}

/** a socket that speaks frames through our codec and records what the server sends */
export class RawClient {
  readonly frames: RawFrame[] = [];
  readonly raw: Buffer[] = [];
  closed = false;
  private decoder = new FrameDecoder((type, channel, buf, s, e) => {
    const payload = Buffer.from(buf.subarray(s, e));
    const f: RawFrame = { type, channel, payload };
    if (type === 1) {
      try {
        f.method = decodeMethod(payload);
      } catch {
        // recorded without a decoded method
      }
    }
    this.frames.push(f);
  });
  private headerSeen = false;

  private constructor(readonly socket: net.Socket) {
    this.decoder.maxFrameSize = 0;
    socket.on('data', (d: Buffer) => {
      this.raw.push(d);
      if (!this.headerSeen && d.subarray(0, 4).toString() === 'AMQP') {
        // the server answered a bad protocol header with its own
        this.headerSeen = true;
        return;
      }
      try {
        this.decoder.push(d);
      } catch {
        // the test inspects raw bytes in that case
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => (this.closed = true));
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  write(b: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(b);
  }

  method(channel: number, name: string, args: Record<string, unknown>): Buffer {
    const w = new Writer();
    writeMethodFrame(w, channel, methodDef(name), args);
    return Buffer.from(w.take()!);
  }

  send(channel: number, name: string, args: Record<string, unknown> = {}): void {
    this.write(this.method(channel, name, args));
  }

  async waitMethod(name: string, timeoutMs = 5000): Promise<Method> {
    const f = await until(
      () => {
        const found = this.frames.find((x) => x.method?.def.name === name);
        if (!found && this.closed) throw new Error(`socket closed before ${name}`);
        return found;
      },
      name,
      timeoutMs,
    );
    return f.method!;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await until(() => this.closed, 'socket close', timeoutMs);
  }

  /** protocol header, start-ok (PLAIN), tune-ok, open; resolves after open-ok */
  async handshake(opts: { user?: string; password?: string; heartbeat?: number; frameMax?: number } = {}): Promise<void> {
    this.write(PROTOCOL_HEADER);
    await this.waitMethod('connection.start');
    this.send(0, 'connection.start-ok', {
      clientProperties: { product: 'raw-test' },
      mechanism: 'PLAIN',
      response: Buffer.from(`\0${opts.user ?? 'guest'}\0${opts.password ?? 'guest'}`),
      locale: 'en_US',
    });
    await this.waitMethod('connection.tune');
    this.send(0, 'connection.tune-ok', { channelMax: 0, frameMax: opts.frameMax ?? 131072, heartbeat: opts.heartbeat ?? 0 });
    this.send(0, 'connection.open', { virtualHost: '/', capabilities: '', insist: false });
    await this.waitMethod('connection.open-ok');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
