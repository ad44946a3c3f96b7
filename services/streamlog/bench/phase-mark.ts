// Preloaded into a benchmarked broker (`--import .../phase-mark.ts`, see ./probes.ts): on SIGUSR2 it
// writes one mark line with the JS heap's used size to stdout, synchronously, so the line lands in
// order with V8's --trace-gc-nvp lines on the same descriptor.
import fs from 'node:fs';
import v8 from 'node:v8';

process.on('SIGUSR2', () => {
  fs.writeSync(1, `${JSON.stringify({ phaseMark: true, used: v8.getHeapStatistics().used_heap_size })}\n`);
});
