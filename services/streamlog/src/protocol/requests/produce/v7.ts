// Produce v7 (key 0): same layout as v6 (zstd allowed); what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeProduceRequest, encodeProduceResponse, type ProduceRequest, type ProduceResponse } from './codec.js';

export type { ProduceRequest, ProduceResponse };
export const decodeRequest = (r: Reader): ProduceRequest => decodeProduceRequest(r);
export const encodeResponse = (w: Writer, res: ProduceResponse): void => encodeProduceResponse(w, res, 7);
