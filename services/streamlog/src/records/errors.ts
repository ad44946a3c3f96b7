/** A record batch that does not follow the v2 format; the reason says which rule it broke. */
export class RecordBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordBatchError';
  }
}
