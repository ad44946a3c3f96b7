// OffsetCommit v2 (key 8): retention_time_ms instead of commit timestamps. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse, type OffsetCommitRequest, type OffsetCommitResponse } from './codec.js';

export type { OffsetCommitRequest, OffsetCommitResponse };
export const decodeRequest = (r: Reader): OffsetCommitRequest => decodeOffsetCommitRequest(r, 2);
export const encodeResponse = (w: Writer, res: OffsetCommitResponse): void => encodeOffsetCommitResponse(w, res, 2);
