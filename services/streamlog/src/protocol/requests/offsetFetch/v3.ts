// OffsetFetch v3 (key 9): adds throttle_time_ms. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeOffsetFetchRequest, encodeOffsetFetchResponse, type OffsetFetchRequest, type OffsetFetchResponse } from './codec.js';

export type { OffsetFetchRequest, OffsetFetchResponse };
export const decodeRequest = (r: Reader): OffsetFetchRequest => decodeOffsetFetchRequest(r, 3);
export const encodeResponse = (w: Writer, res: OffsetFetchResponse): void => encodeOffsetFetchResponse(w, res, 3);
