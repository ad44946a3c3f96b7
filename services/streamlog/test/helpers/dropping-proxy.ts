import net from 'node:net';
import { ApiKey } from '../../src/protocol/api-keys.js';

/**
 * A TCP proxy in front of a broker that can lose Produce responses: the broker has handled the
 * request (the records are written) but the client never hears of it, and its connection drops —
 * exactly the case an idempotent producer's retry must survive without writing twice.
 */
export interface DroppingProxy {
  port: number;
  /** drop this many upcoming Produce responses (each closes its client connection) */
  dropProduceResponses(n: number): void;
  dropped: number;
  close(): Promise<void>;
}

/** frames of a byte stream, each with its size prefix */
function framer(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      onFrame(pending.subarray(0, 4 + size));
      pending = pending.subarray(4 + size);
    }
  };
}

export async function startDroppingProxy(upstreamPort: () => number): Promise<DroppingProxy> {
  let toDrop = 0;
  const state = { dropped: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort(), '127.0.0.1');
    sockets.add(client).add(upstream);
    const produceCorrelations = new Set<number>();
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on(
      'data',
      framer((frame) => {
        // request header: size, api key, version, correlation id
        if (frame.readInt16BE(4) === ApiKey.Produce) produceCorrelations.add(frame.readInt32BE(8));
        upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      framer((frame) => {
        const correlationId = frame.readInt32BE(4);
        if (produceCorrelations.delete(correlationId) && toDrop > 0) {
          toDrop--;
          state.dropped++;
          end();
          return;
        }
        client.write(frame);
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    dropProduceResponses: (n) => (toDrop += n),
    get dropped() {
      return state.dropped;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
