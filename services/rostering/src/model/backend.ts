import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  backend: BackendName;
  /** Why each preferred backend before the chosen one was skipped. */
  skipped: { backend: BackendName; reason: string }[];
}

export interface BackendOptions {
  /** Tried in order; default tfjs-node ('tensorflow'), then WebAssembly, then plain JS. */
  order?: BackendName[];
  /** Folder holding the tfjs-backend-wasm .wasm files (default: the installed package's dist/). */
  wasmDir?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** The .wasm files ship next to the package's Node entry point (dist/). */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

// tfjs-node is an optional dependency whose install downloads libtensorflow; a variable
// specifier keeps TypeScript and bundlers from insisting it exists.
const TFJS_NODE = '@tensorflow/tfjs-node';

let chosen: Promise<BackendChoice> | undefined;

/**
 * Picks the fastest TensorFlow.js backend that works here, once per process, and logs it.
 * Later calls return the first choice (a backend cannot be swapped under live tensors).
 */
export function initBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  chosen ??= choose(opts);
  return chosen;
}

async function choose(opts: BackendOptions): Promise<BackendChoice> {
  const order = opts.order ?? ['tensorflow', 'wasm', 'cpu'];
  const log = opts.log ?? (() => {});
  const skipped: BackendChoice['skipped'] = [];
  for (const [i, backend] of order.entries()) {
    const next = order[i + 1] ?? 'none';
    try {
      if (backend === 'tensorflow') await import(TFJS_NODE);
      if (backend === 'wasm') setWasmPaths(withSlash(opts.wasmDir ?? defaultWasmDir()));
      const ok = await tf.setBackend(backend);
      if (!ok) throw new Error(`tf.setBackend('${backend}') returned false`);
      await tf.ready();
      if (tf.getBackend() !== backend) throw new Error(`backend is ${tf.getBackend()} after selecting ${backend}`);
      // the reasons were logged as each was skipped; here only which ones
      log(`tensorflow.js backend: ${backend}`, { backend, skipped: skipped.map((k) => k.backend) });
      return { backend, skipped };
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      skipped.push({ backend, reason });
      // tfjs-node is an optional native add-on that most installs do not have: its absence is the
      // normal case, said plainly, not an error dump that looks like a failure.
      if (backend === 'tensorflow' && /Cannot find (package|module)/.test(reason)) log(`tensorflow.js: the optional native add-on @tensorflow/tfjs-node is not installed (expected); trying ${next}`, { skipped: backend, next });
      else log(`tensorflow.js backend ${backend} unavailable; trying ${next}`, { skipped: backend, next, reason });
    }
  }
  throw new Error(`no TensorFlow.js backend works: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

function withSlash(dir: string): string {
  return dir.endsWith(path.sep) || dir.endsWith('/') ? dir : dir + '/';
}
