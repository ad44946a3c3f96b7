import net from 'node:net';
import { Writer } from '../../src/protocol/primitives/writer.js';
import { encodeRequestHeader } from '../../src/protocol/header.js';

/** A bare Kafka-protocol connection: send request bodies, read response bodies (after the correlation id). */
export interface RawClient {
  socket: net.Socket;
  /** send a request and wait for its response body */
  request(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer>;
  /** send without waiting */
  send(apiKey: number, apiVersion: number, body: Buffer): number;
  /** send arbitrary bytes */
  write(bytes: Buffer): void;
  /** responses received so far, by correlation id */
  responses: Map<number, Buffer>;
  /** frames too short to carry a correlation id (the answer to a bare SASL token) */
  bareFrames: Buffer[];
  /** resolves when the server closes the connection */
  closed: Promise<void>;
  destroy(): void;
}

export async function rawConnect(port: number, host = '127.0.0.1'): Promise<RawClient> {
  const socket = net.connect(port, host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const responses = new Map<number, Buffer>();
  const bareFrames: Buffer[] = [];
  const waiters = new Map<number, (b: Buffer) => void>();
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      const frame = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      if (frame.length < 4) {
        bareFrames.push(frame);
        continue;
      }
      const correlationId = frame.readInt32BE(0);
      const body = frame.subarray(4);
      responses.set(correlationId, body);
      waiters.get(correlationId)?.(body);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let nextCorrelation = 1;
  const send = (apiKey: number, apiVersion: number, body: Buffer): number => {
    const correlationId = nextCorrelation++;
    const w = new Writer();
    encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: 'raw-test' });
    w.raw(body);
    socket.write(w.toFrame());
    return correlationId;
  };
  return {
    socket,
    responses,
    bareFrames,
    closed,
    send,
    write: (bytes) => socket.write(bytes),
    request(apiKey, apiVersion, body) {
      const id = send(apiKey, apiVersion, body);
      return new Promise<Buffer>((resolve, reject) => {
        waiters.set(id, resolve);
        closed.then(() => reject(new Error(`connection closed before response ${id}`)));
      });
    },
    destroy: () => socket.destroy(),
  };
}
