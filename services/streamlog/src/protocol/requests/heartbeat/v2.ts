// Heartbeat v2 (key 12): same layout as v1. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeHeartbeatRequest, encodeHeartbeatResponse, type HeartbeatRequest, type HeartbeatResponse } from './codec.js';

export type { HeartbeatRequest, HeartbeatResponse };
export const decodeRequest = (r: Reader): HeartbeatRequest => decodeHeartbeatRequest(r, 2);
export const encodeResponse = (w: Writer, res: HeartbeatResponse): void => encodeHeartbeatResponse(w, res, 2);
