// Produce v6 (key 0): same layout as v5. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeProduceRequest, encodeProduceResponse, type ProduceRequest, type ProduceResponse } from './codec.js';

export type { ProduceRequest, ProduceResponse };
export const decodeRequest = (r: Reader): ProduceRequest => decodeProduceRequest(r);
export const encodeResponse = (w: Writer, res: ProduceResponse): void => encodeProduceResponse(w, res, 6);
