// Broker CPU per record without a client library in the way (kafkajs' own CPU makes a loaded machine noisier):
//   npx tsx services/streamlog/bench/raw-frames.ts [<checkout>] [--callgrind]   (default: this tree's broker)
// A broker child; pre-encoded Produce v7 frames (BATCH records of 100 B each, default 1,000), 8 in
// flight on one socket, REQS requests per phase (default 300): a warm-up acks=1 phase, acks=1, acks=-1;
// then a Fetch v11 catch-up of everything, 1 MiB per request. Broker CPU from its /metrics.
// --callgrind runs the broker under `valgrind --tool=callgrind` and adds, per phase, the instructions
// the broker executed per record (all its threads, user space; counters zeroed before and dumped after
// each phase with callgrind_control). Unlike CPU seconds that count does not depend on the machine's
// load, so two builds can be compared on a busy machine; it is ~50x slower, so use REQS=100 or so.
// --syscalls adds, per phase, the broker's syscalls per 1,000 records (strace -f -c, all threads) and
// --gc its JS-heap bytes allocated and GCs per 1,000 records (--trace-gc-nvp); see ./probes.ts. Both
// are counts that load does not change; neither combines with --callgrind. The user/system split of
// the broker's CPU (from /proc) is printed always: kernel work shows there first.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path'; import readline from 'node:readline'; import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import { encodeRecordBatch } from '../src/records/encode.js';
import { formatFigures, phaseProbes, probedLaunch } from './probes.js';
const args = process.argv.slice(2); const CALLGRIND = args.includes('--callgrind'); const SYSCALLS = args.includes('--syscalls'); const GC = args.includes('--gc');
if (CALLGRIND && (SYSCALLS || GC)) throw new Error('--callgrind does not combine with --syscalls or --gc'); const checkout = args.find((a) => !a.startsWith('--'));
const main = checkout ? path.resolve(checkout, 'services/streamlog/src/main.ts') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/main.ts'); const REQS = Number(process.env.REQS ?? 300); const BATCH = Number(process.env.BATCH ?? 1000); const INFLIGHT = 8;
const extra = (process.env.NODE_EXTRA ?? '').split(' ').filter(Boolean);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slab-'));
const cgDir = CALLGRIND ? fs.mkdtempSync(path.join(os.tmpdir(), 'slab-cg-')) : '';
// instrumentation starts after start-up (the tsx compile would take minutes under valgrind)
const valgrind = ['--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${cgDir}/callgrind.out`, process.execPath];
const launch = probedLaunch(GC); const launcher = CALLGRIND ? ['valgrind', ...valgrind] : launch.launcher;
const child = spawn(launcher[0], [...launcher.slice(1), ...extra, ...launch.nodeArgs, main, '--port', '0', '--http-port', '0', '--data-dir', dataDir, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'inherit'] });
const rl = readline.createInterface({ input: child.stdout! });
const ready = await new Promise<{ brokers: string; httpPort: number }>((res, rej) => { child.once('exit', (c) => rej(new Error('exit ' + c))); rl.on('line', (l) => { try { const m = JSON.parse(l); if (m.msg === 'ready') res(m); } catch {} }); });
const probes = phaseProbes(child, rl, { syscalls: SYSCALLS, gc: GC });
const cpu = async () => Number((await (await fetch(`http://127.0.0.1:${ready.httpPort}/metrics`)).text()).match(/^streamlog_process_cpu_seconds_total ([0-9.e+-]+)$/m)![1]);
const kafka = new Kafka({ clientId: 'ab', brokers: [ready.brokers], logLevel: logLevel.NOTHING });
const admin = kafka.admin(); await admin.connect(); await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: 1 }] }); await admin.disconnect();
const value = Buffer.alloc(100, 'x');
const batch = encodeRecordBatch(Array.from({ length: BATCH }, (_, i) => ({ key: Buffer.from(`rider-${i % 500}`), value })), { baseTimestamp: Date.now() });
function str(s: string) { const b = Buffer.alloc(2 + s.length); b.writeInt16BE(s.length); b.write(s, 2); return b; }
function i16(v: number) { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; } function i32(v: number) { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; } function i64(v: bigint) { const b = Buffer.alloc(8); b.writeBigInt64BE(v); return b; }
function frame(apiKey: number, ver: number, corr: number, body: Buffer[]) { const inner = Buffer.concat([i16(apiKey), i16(ver), i32(corr), str('ab'), ...body]); return Buffer.concat([i32(inner.length), inner]); }
const produce = (corr: number, acks: number) => frame(0, 7, corr, [i16(-1), i16(acks), i32(30000), i32(1), str('bench'), i32(1), i32(0), i32(batch.length), batch]);
const fetchReq = (corr: number, offset: bigint) => frame(1, 11, corr, [i32(-1), i32(0), i32(1), i32(8 << 20), Buffer.from([0]), i32(0), i32(-1), i32(1), str('bench'), i32(1), i32(0), i32(-1), i64(offset), i64(-1n), i32(1 << 20), i32(0), i16(0)]);
const sock = net.connect(Number(ready.brokers.split(':').pop()), '127.0.0.1'); await new Promise((r) => sock.once('connect', r));
let pending: Buffer = Buffer.alloc(0); const waiters = new Map<number, (b: Buffer) => void>();
sock.on('data', (c: Buffer) => { pending = pending.length ? Buffer.concat([pending, c]) : c; while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) { const n = pending.readInt32BE(0); const f = pending.subarray(4, 4 + n); pending = pending.subarray(4 + n); const id = f.readInt32BE(0); waiters.get(id)?.(f); waiters.delete(id); } });
let corr = 1; const req = (f: (c: number) => Buffer) => { const c = corr++; return new Promise<Buffer>((r) => { waiters.set(c, r); sock.write(f(c)); }); };
const cgControl = (...a: string[]) => promisify(execFile)('callgrind_control', [...a, String(child.pid)]);
// V8's garbage collector (marking, sweeping, scavenging, compaction, and the walks over code and scope
// objects marking does): reported apart because whether a major GC falls inside a short phase is luck,
// while the rest (the mutator) is repeatable; the 'all produce' figure sums every produce phase
const GC_FUNCTION = /v8::internal::(?:\S*(?:Mark|Sweep|Scaveng|Evacuat|Compact|Remembered|SlotSet|FreeList|ArrayBufferSweeper|GCTracer|Heap::|HeapObject::SizeFromMap|BodyDescriptor|MemoryChunk|ObjectCache|Worklist|RelocIterator|ScopeInfo|LiveObject))/;
/** instructions since the last zeroing, all and those in the GC: dump, then read the newest dump */
async function cgInstructions(label: string): Promise<{ all: number; gc: number }> {
  await cgControl(`--dump=${label}`);
  const dumps = fs.readdirSync(cgDir).filter((f) => f.startsWith('callgrind.out')).map((f) => path.join(cgDir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const text = fs.readFileSync(dumps[0], 'utf8');
  const all = Number((text.match(/^totals: (\d+)/m) ?? text.match(/^summary: (\d+)/m))![1]);
  const { stdout } = await promisify(execFile)('callgrind_annotate', ['--inclusive=no', '--threshold=100', dumps[0]], { maxBuffer: 64 << 20 });
  let gc = 0;
  for (const line of stdout.split('\n')) { const m = /^\s*([\d,]+) \([ \d.]+%\)\s+(.*)$/.exec(line); if (m && GC_FUNCTION.test(m[2])) gc += Number(m[1].replaceAll(',', '')); }
  return { all, gc };
}
const perRecord = (ins: { all: number; gc: number }, records: number) => ` ${Math.round(ins.all / records)} instr/rec (GC ${Math.round(ins.gc / records)}, rest ${Math.round((ins.all - ins.gc) / records)})`;
/** per phase: the user/system CPU split, and with --syscalls / --gc the probes' counts per 1,000 records */
async function startProbes() { const p = await probes.start(); return { stop: async (records: number) => ` (${formatFigures(await p.stop(records))})` }; }
const phases: { label: string; records: number; all: number; gc: number }[] = [];
if (CALLGRIND) await cgControl('--instr=on');
const out: Record<string, string> = {};
for (const [label, acks] of [['warm acks=1', 1], ['acks=1', 1], ['acks=-1', -1]] as const) {
  let issued = 0; const c0 = await cpu(); if (CALLGRIND) await cgControl('--zero'); const probe = await startProbes(); const t0 = performance.now();
  await Promise.all(Array.from({ length: INFLIGHT }, async () => { while (issued < REQS) { issued++; await req((c) => produce(c, acks)); } }));
  const s = (performance.now() - t0) / 1000; const probed = await probe.stop(REQS * BATCH); const ins = CALLGRIND ? await cgInstructions(label) : null; const c1 = await cpu();
  out[label] = `${Math.round((REQS * BATCH) / s)} rec/s cpu ${(((c1 - c0) * 1e6) / (REQS * BATCH)).toFixed(3)} us/rec` + probed + (ins ? perRecord(ins, REQS * BATCH) : '');
  if (ins) phases.push({ label, records: REQS * BATCH, ...ins });
}
{ const total = BigInt(REQS * BATCH * 3); let off = 0n; const c0 = await cpu(); if (CALLGRIND) await cgControl('--zero'); const probe = await startProbes(); const t0 = performance.now();
  while (off < total) { const f = await req((c) => fetchReq(c, off)); // records of the one partition: find the last batch
    // response v11: corr(4) throttle(4) err(2) session(4) topics(4) name partitions(4) idx(4) err(2) hw(8) lso(8) lss(8) aborted(4) prr(4) recordsLen(4)
    let p = 4 + 4 + 2 + 4 + 4; p += 2 + f.readInt16BE(p); p += 4 + 4 + 2 + 8 + 8 + 8; const na = f.readInt32BE(p); p += 4 + Math.max(0, na) * 16 + 4; const len = f.readInt32BE(p); p += 4; const end = p + len;
    while (p + 61 <= end) { const base = f.readBigInt64BE(p); const size = f.readInt32BE(p + 8); if (p + 12 + size > end) break; off = base + BigInt(f.readInt32BE(p + 23)) + 1n; p += 12 + size; } }
  const s = (performance.now() - t0) / 1000; const probed = await probe.stop(Number(total)); const ins = CALLGRIND ? await cgInstructions('fetch') : null; const c1 = await cpu();
  out.fetch = `${Math.round(Number(total) / s)} rec/s cpu ${(((c1 - c0) * 1e6) / Number(total)).toFixed(3)} us/rec` + probed + (ins ? perRecord(ins, Number(total)) : ''); }
// the produce phases together (warm-up included): major GCs, a few per run, amortised over all of them
if (CALLGRIND) { const sum = (k: 'all' | 'gc' | 'records') => phases.reduce((a, p) => a + p[k], 0); out['all produce'] = perRecord({ all: sum('all'), gc: sum('gc') }, sum('records')).trim(); }
console.log(JSON.stringify({ broker: main, ...out }));
sock.destroy(); child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); fs.rmSync(dataDir, { recursive: true, force: true }); if (CALLGRIND && !process.env.KEEP_CALLGRIND) fs.rmSync(cgDir, { recursive: true, force: true }); else if (CALLGRIND) console.error(`callgrind dumps in ${cgDir}`);
