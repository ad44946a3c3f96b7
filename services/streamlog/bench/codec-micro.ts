// Codec cost per call, this tree's declarative codec or the hand-written one of an older checkout:
//   npx tsx services/streamlog/bench/codec-micro.ts [<checkout before the declarative codec, e.g. 2782e02>]
// Produce v7 request decode (one 100 KB batch), Fetch v11 response encode + frame (3 partitions of
// 30 KB), Metadata v6 response encode (20 topics x 3 partitions); CPU time per call.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const NEW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const BASE = process.argv[2] ? path.resolve(process.argv[2], 'services/streamlog/src') : '';
const side = BASE ? 'base' : 'new';
const { Reader } = await import(`${side === 'base' ? BASE : NEW}/protocol/primitives/reader.ts`);
const { Writer } = await import(`${side === 'base' ? BASE : NEW}/protocol/primitives/writer.ts`);
let decodeProduce: (r: any) => any, encodeFetch: (w: any, v: any) => void, encodeMeta: (w: any, v: any) => void;
if (side === 'base') {
  decodeProduce = (await import(`${BASE}/protocol/requests/produce/v7.ts`)).decodeRequest;
  encodeFetch = (await import(`${BASE}/protocol/requests/fetch/v11.ts`)).encodeResponse;
  encodeMeta = (await import(`${BASE}/protocol/requests/metadata/v6.ts`)).encodeResponse;
} else {
  const { messageCodec } = await import(`${NEW}/protocol/schema/message.ts`);
  const m = await import(`${NEW}/protocol/messages/index.ts`);
  const spec = (n: string) => m.specByName.get(n);
  decodeProduce = (r) => messageCodec(spec('Produce'), 7).decodeRequest(r);
  const f = messageCodec(spec('Fetch'), 11); encodeFetch = (w, v) => f.encodeResponse(w, v);
  const md = messageCodec(spec('Metadata'), 6); encodeMeta = (w, v) => md.encodeResponse(w, v);
}
const records = Buffer.alloc(100_000, 1);
const w0 = new Writer(); w0.nullableString(null).int16(1).int32(30000).int32(1).string('bench').int32(1).int32(0).nullableBytes(records);
const produceBody = w0.toBuffer();
const fetchRes = { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [{ topic: 'bench', partitions: [0, 1, 2].map((i) => ({ partitionIndex: i, errorCode: 0, highWatermark: 100n, lastStableOffset: 100n, logStartOffset: 0n, abortedTransactions: null, preferredReadReplica: -1, records: records.subarray(0, 30_000) })) }] };
const metaRes = { throttleTimeMs: 0, brokers: [{ nodeId: 0, host: '127.0.0.1', port: 9092, rack: null }], clusterId: 'c', controllerId: 0, topics: Array.from({ length: 20 }, (_, t) => ({ errorCode: 0, name: `topic-${t}`, isInternal: false, partitions: [0, 1, 2].map((p) => ({ errorCode: 0, partitionIndex: p, leaderId: 0, leaderEpoch: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] })) })) };
function time(name: string, n: number, fn: () => void) { for (let i = 0; i < n / 10; i++) fn(); const t0 = process.cpuUsage(); for (let i = 0; i < n; i++) fn(); const u = process.cpuUsage(t0); console.log(`${side} ${name}: ${(((u.user + u.system) * 1000) / n).toFixed(0)} ns/call`); }
time('produce v7 request decode', 200_000, () => decodeProduce(new Reader(produceBody)));
time('fetch v11 response encode+frame', 100_000, () => { const w = new Writer(); encodeFetch(w, fetchRes); w.toFrame(); });
time('metadata v6 response encode (20 topics)', 20_000, () => { const w = new Writer(); encodeMeta(w, metaRes); w.toBuffer(); });
