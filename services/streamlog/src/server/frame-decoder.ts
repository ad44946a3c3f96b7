/** Raised when the byte stream cannot be split into valid frames; the connection must be closed. */
export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Splits a TCP byte stream into Kafka frames (int32 size + that many bytes). Pure: no I/O.
 * Frames are returned without the size prefix. A frame's bytes are buffered as chunks and joined
 * once complete (copied once, and only when they span chunks), so a client announcing a huge (but
 * allowed) frame costs memory only as it sends.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** bytes received but not yet returned as frames (a frame whose size was read counts without its prefix) */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (this.buffered === 0 && this.expected < 0) {
      // fast path: frames that sit wholly inside this chunk are sliced without copying
      let pos = 0;
      while (chunk.length - pos >= 4) {
        const size = this.checkSize(chunk.readInt32BE(pos));
        if (chunk.length - pos - 4 < size) break;
        frames.push(chunk.subarray(pos + 4, pos + 4 + size));
        pos += 4 + size;
      }
      if (pos === chunk.length) return frames;
      chunk = chunk.subarray(pos);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        this.expected = this.checkSize(this.take(4).readInt32BE(0));
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  /**
   * The next n buffered bytes: a view when they sit in one chunk, else one copy of exactly those
   * bytes (the bytes of the frames after them stay where they are, so nothing is copied twice).
   */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let pos = 0;
      while (pos < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length, n - pos);
        c.copy(out, pos, 0, k);
        pos += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }

  private checkSize(size: number): number {
    if (size < 0) throw new FrameError(`negative frame size ${size}`);
    if (size > this.maxFrameBytes) throw new FrameError(`frame of ${size} bytes exceeds the maximum of ${this.maxFrameBytes}`);
    return size;
  }
}
