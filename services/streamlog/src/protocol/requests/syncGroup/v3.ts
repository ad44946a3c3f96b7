// SyncGroup v3 (key 14): adds group_instance_id; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeSyncGroupRequest, encodeSyncGroupResponse, type SyncGroupRequest, type SyncGroupResponse } from './codec.js';

export type { SyncGroupRequest, SyncGroupResponse };
export const decodeRequest = (r: Reader): SyncGroupRequest => decodeSyncGroupRequest(r, 3);
export const encodeResponse = (w: Writer, res: SyncGroupResponse): void => encodeSyncGroupResponse(w, res, 3);
