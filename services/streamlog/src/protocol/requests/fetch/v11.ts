// Fetch v11 (key 1): adds rack_id and preferred_read_replica; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchRequest, type FetchResponse } from './codec.js';

export type { FetchRequest, FetchResponse };
export const decodeRequest = (r: Reader): FetchRequest => decodeFetchRequest(r, 11);
export const encodeResponse = (w: Writer, res: FetchResponse): void => encodeFetchResponse(w, res, 11);
