import { connect } from 'node:net';

// Size on disk per partition through Kafka's DescribeLogDirs (API key 35, version 1), which
// kafkajs does not implement: one request per broker on a plain connection of its own. Brokers
// that require SASL or TLS answer nothing here, and the page says the size is not reported.

const API_KEY = 35;
const VERSION = 1;

function request(topic: string, partitions: number[], correlationId: number): Buffer {
  const clientId = Buffer.from('riderflow-dashboard');
  const name = Buffer.from(topic);
  const body = Buffer.alloc(4 + 2 + name.length + 4 + 4 * partitions.length);
  let o = body.writeInt32BE(1, 0); // one topic
  o = body.writeInt16BE(name.length, o);
  o += name.copy(body, o);
  o = body.writeInt32BE(partitions.length, o);
  for (const p of partitions) o = body.writeInt32BE(p, o);
  const header = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let h = header.writeInt16BE(API_KEY, 0);
  h = header.writeInt16BE(VERSION, h);
  h = header.writeInt32BE(correlationId, h);
  h = header.writeInt16BE(clientId.length, h);
  clientId.copy(header, h);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  return Buffer.concat([size, header, body]);
}

/** bytes per partition of `topic` in the response (summed over log dirs: every replica on this broker) */
function parse(buf: Buffer, topic: string): Map<number, number> {
  let o = 4; // correlation id
  o += 4; // throttle time
  const sizes = new Map<number, number>();
  const results = buf.readInt32BE(o);
  o += 4;
  for (let r = 0; r < results; r++) {
    const errorCode = buf.readInt16BE(o);
    o += 2;
    const dirLen = buf.readInt16BE(o);
    o += 2 + Math.max(0, dirLen);
    const topics = buf.readInt32BE(o);
    o += 4;
    for (let t = 0; t < topics; t++) {
      const nameLen = buf.readInt16BE(o);
      const name = buf.toString('utf8', o + 2, o + 2 + nameLen);
      o += 2 + nameLen;
      const parts = buf.readInt32BE(o);
      o += 4;
      for (let p = 0; p < parts; p++) {
        const index = buf.readInt32BE(o);
        const size = Number(buf.readBigInt64BE(o + 4));
        o += 4 + 8 + 8 + 1;
        if (errorCode === 0 && name === topic) sizes.set(index, (sizes.get(index) ?? 0) + size);
      }
    }
  }
  return sizes;
}

/** one broker's answer: bytes per partition of the topic it holds */
export function describeLogDirs(host: string, port: number, topic: string, partitions: number[], timeoutMs = 3_000): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no DescribeLogDirs answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(request(topic, partitions, 1)));
    socket.on('data', (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length < 4 || all.length < 4 + all.readInt32BE(0)) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(parse(all.subarray(4, 4 + all.readInt32BE(0)), topic));
      } catch (err) {
        reject(new Error(`could not read the DescribeLogDirs answer: ${(err as Error).message}`));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${host}:${port} closed the connection (DescribeLogDirs not supported?)`));
    });
  });
}
