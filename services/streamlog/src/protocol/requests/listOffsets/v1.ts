// ListOffsets v1 (key 2): timestamps instead of offset lists (librdkafka's OffsetTime feature). Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse, type ListOffsetsRequest, type ListOffsetsResponse } from './codec.js';

export type { ListOffsetsRequest, ListOffsetsResponse };
export const decodeRequest = (r: Reader): ListOffsetsRequest => decodeListOffsetsRequest(r, 1);
export const encodeResponse = (w: Writer, res: ListOffsetsResponse): void => encodeListOffsetsResponse(w, res, 1);
