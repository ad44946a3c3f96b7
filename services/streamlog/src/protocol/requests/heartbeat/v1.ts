// Heartbeat v1 (key 12): adds throttle_time_ms. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeHeartbeatRequest, encodeHeartbeatResponse, type HeartbeatRequest, type HeartbeatResponse } from './codec.js';

export type { HeartbeatRequest, HeartbeatResponse };
export const decodeRequest = (r: Reader): HeartbeatRequest => decodeHeartbeatRequest(r, 1);
export const encodeResponse = (w: Writer, res: HeartbeatResponse): void => encodeHeartbeatResponse(w, res, 1);
