import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/model/backend.js';

// Its own file, hence its own process: a TensorFlow.js backend is chosen once per process.
describe('backend chain when the WebAssembly files cannot be loaded', () => {
  it('skips tfjs-node (absent) and wasm (bad path), runs on cpu, logs every step', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-nowasm-'));
    const logs: string[] = [];
    try {
      const choice = await initBackend({ wasmDir: empty, log: (m) => logs.push(m) });
      expect(choice.backend).toBe('cpu');
      expect(choice.skipped.map((s) => s.backend)).toEqual(['tensorflow', 'wasm']);
      expect(logs.at(-1)).toBe('tensorflow.js backend: cpu');
      expect(tf.getBackend()).toBe('cpu');
      const y = tf.tidy(() => tf.tensor1d([1, 2, 3]).mul(2).arraySync());
      expect(y).toEqual([2, 4, 6]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
