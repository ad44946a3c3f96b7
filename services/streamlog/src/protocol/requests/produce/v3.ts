// Produce v3 (key 0): the oldest with transactional_id and record batches v2 (librdkafka's MsgVer2). Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeProduceRequest, encodeProduceResponse, type ProduceRequest, type ProduceResponse } from './codec.js';

export type { ProduceRequest, ProduceResponse };
export const decodeRequest = (r: Reader): ProduceRequest => decodeProduceRequest(r);
export const encodeResponse = (w: Writer, res: ProduceResponse): void => encodeProduceResponse(w, res, 3);
