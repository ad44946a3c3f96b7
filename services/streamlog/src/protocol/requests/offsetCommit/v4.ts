// OffsetCommit v4 (key 8): same layout as v3. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse, type OffsetCommitRequest, type OffsetCommitResponse } from './codec.js';

export type { OffsetCommitRequest, OffsetCommitResponse };
export const decodeRequest = (r: Reader): OffsetCommitRequest => decodeOffsetCommitRequest(r, 4);
export const encodeResponse = (w: Writer, res: OffsetCommitResponse): void => encodeOffsetCommitResponse(w, res, 4);
