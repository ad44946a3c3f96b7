// Fetch v6 (key 1): same layout as v5. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchRequest, type FetchResponse } from './codec.js';

export type { FetchRequest, FetchResponse };
export const decodeRequest = (r: Reader): FetchRequest => decodeFetchRequest(r, 6);
export const encodeResponse = (w: Writer, res: FetchResponse): void => encodeFetchResponse(w, res, 6);
