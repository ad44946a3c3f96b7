// OffsetFetch v4 (key 9): same layout as v3; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeOffsetFetchRequest, encodeOffsetFetchResponse, type OffsetFetchRequest, type OffsetFetchResponse } from './codec.js';

export type { OffsetFetchRequest, OffsetFetchResponse };
export const decodeRequest = (r: Reader): OffsetFetchRequest => decodeOffsetFetchRequest(r, 4);
export const encodeResponse = (w: Writer, res: OffsetFetchResponse): void => encodeOffsetFetchResponse(w, res, 4);
