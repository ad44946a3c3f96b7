import { describe, expect, it } from 'vitest';
import { decodeJson, parseEvent, parseTask, readDeadLetter } from '../src/index.js';
import { validEvents, validTasks } from '../src/examples.js';

// contracts decodes with TextDecoder instead of Buffer (it runs in the browser too): plain
// Uint8Arrays, Node Buffers and text must all read the same.
describe('decoding without Buffer', () => {
  const encoder = new TextEncoder();

  it('parses events and tasks from a Uint8Array, a Buffer and text alike', () => {
    for (const event of validEvents) {
      const text = JSON.stringify(event);
      expect(parseEvent(encoder.encode(text))).toEqual({ ok: true, event });
      expect(parseEvent(Buffer.from(text))).toEqual({ ok: true, event });
      expect(parseEvent(text)).toEqual({ ok: true, event });
    }
    for (const task of validTasks) expect(parseTask(encoder.encode(JSON.stringify(task)))).toEqual({ ok: true, task });
  });

  it('reads a slice of a larger buffer, not the whole buffer behind it', () => {
    const whole = encoder.encode('xx{"a":1}yy');
    expect(decodeJson(whole.subarray(2, 9))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('rejects what is not JSON the same way as before (a BOM is not stripped)', () => {
    expect(decodeJson(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty message (zero bytes)' });
    expect(decodeJson(encoder.encode('\uFEFF{}'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(decodeJson(new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
  });

  it('reads dead-letter headers that arrive as bytes', () => {
    expect(readDeadLetter({ 'x-original-exchange': encoder.encode('jobs'), 'x-original-routing-key': Buffer.from('roster.shift'), 'x-reason': 'bad' }))
      .toMatchObject({ known: true, by: 'consumer', origin: { exchange: 'jobs', routingKey: 'roster.shift' }, reason: 'bad' });
  });
});
