// Fetch v5 (key 1): adds log_start_offset. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchRequest, type FetchResponse } from './codec.js';

export type { FetchRequest, FetchResponse };
export const decodeRequest = (r: Reader): FetchRequest => decodeFetchRequest(r, 5);
export const encodeResponse = (w: Writer, res: FetchResponse): void => encodeFetchResponse(w, res, 5);
