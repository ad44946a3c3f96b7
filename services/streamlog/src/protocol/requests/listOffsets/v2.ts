// ListOffsets v2 (key 2): adds isolation_level and throttle_time_ms. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse, type ListOffsetsRequest, type ListOffsetsResponse } from './codec.js';

export type { ListOffsetsRequest, ListOffsetsResponse };
export const decodeRequest = (r: Reader): ListOffsetsRequest => decodeListOffsetsRequest(r, 2);
export const encodeResponse = (w: Writer, res: ListOffsetsResponse): void => encodeListOffsetsResponse(w, res, 2);
