// OffsetCommit v5 (key 8): drops retention_time_ms; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse, type OffsetCommitRequest, type OffsetCommitResponse } from './codec.js';

export type { OffsetCommitRequest, OffsetCommitResponse };
export const decodeRequest = (r: Reader): OffsetCommitRequest => decodeOffsetCommitRequest(r, 5);
export const encodeResponse = (w: Writer, res: OffsetCommitResponse): void => encodeOffsetCommitResponse(w, res, 5);
