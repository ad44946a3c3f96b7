// Kafka record-batch v2 codec: header layout, encoder, decoder and producer-batch validation.
export * from './batch-header.js';
export * from './varint.js';
export * from './encode.js';
export * from './decode.js';
export * from './validate.js';
export { RecordBatchError } from './errors.js';
