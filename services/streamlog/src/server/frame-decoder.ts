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
 * once complete, so a client announcing a huge (but allowed) frame costs memory only as it sends.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** bytes received but not yet returned as frames */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (this.buffered === 0) {
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
        this.compact();
        this.expected = this.checkSize(this.chunks[0].readInt32BE(0));
      }
      if (this.buffered < 4 + this.expected) break;
      this.compact();
      const all = this.chunks[0];
      frames.push(all.subarray(4, 4 + this.expected));
      const rest = all.subarray(4 + this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
    }
    return frames;
  }

  private compact(): void {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }

  private checkSize(size: number): number {
    if (size < 0) throw new FrameError(`negative frame size ${size}`);
    if (size > this.maxFrameBytes) throw new FrameError(`frame of ${size} bytes exceeds the maximum of ${this.maxFrameBytes}`);
    return size;
  }
}
