/** Thrown when request bytes do not match the schema (truncated, negative lengths, bad UTF-8...). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
