// A TCP proxy that hands the broker's bytes to the client at a fixed, slow rate and stops reading
// from the broker while it holds more than one chunk: the client looks like a slow reader, so the
// broker's socket fills up and its back-pressure is what the test observes.
import net from 'node:net';

export interface ThrottledProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * @param brokerUrl amqp://user:pass@host:port of the broker
 * @param bytesPerTick how many broker→client bytes pass every `tickMs`
 */
export async function throttledProxy(brokerUrl: string, bytesPerTick: number, tickMs = 10): Promise<ThrottledProxy> {
  const target = new URL(brokerUrl);
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream); // client → broker at full speed (publishes, acks)
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    upstream.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      upstream.pause();
    });
    const timer = setInterval(() => {
      let budget = bytesPerTick;
      while (budget > 0 && pending.length > 0) {
        const head = pending[0]!;
        const n = Math.min(budget, head.length);
        client.write(head.subarray(0, n));
        budget -= n;
        pendingBytes -= n;
        if (n === head.length) pending.shift();
        else pending[0] = head.subarray(n);
      }
      if (pendingBytes === 0 && upstream.isPaused()) upstream.resume();
    }, tickMs);
    timers.add(timer);
    const end = (): void => {
      clearInterval(timer);
      timers.delete(timer);
      pending = [];
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(brokerUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
