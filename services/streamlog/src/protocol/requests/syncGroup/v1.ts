// SyncGroup v1 (key 14): adds throttle_time_ms. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeSyncGroupRequest, encodeSyncGroupResponse, type SyncGroupRequest, type SyncGroupResponse } from './codec.js';

export type { SyncGroupRequest, SyncGroupResponse };
export const decodeRequest = (r: Reader): SyncGroupRequest => decodeSyncGroupRequest(r, 1);
export const encodeResponse = (w: Writer, res: SyncGroupResponse): void => encodeSyncGroupResponse(w, res, 1);
