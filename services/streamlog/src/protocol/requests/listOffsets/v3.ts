// ListOffsets v3 (key 2): same layout as v2; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse, type ListOffsetsRequest, type ListOffsetsResponse } from './codec.js';

export type { ListOffsetsRequest, ListOffsetsResponse };
export const decodeRequest = (r: Reader): ListOffsetsRequest => decodeListOffsetsRequest(r, 3);
export const encodeResponse = (w: Writer, res: ListOffsetsResponse): void => encodeListOffsetsResponse(w, res, 3);
