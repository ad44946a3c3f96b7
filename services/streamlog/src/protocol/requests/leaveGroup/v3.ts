// LeaveGroup v3 (key 13): a batch of members with per-member errors; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeLeaveGroupRequest, encodeLeaveGroupResponse, type LeaveGroupRequest, type LeaveGroupResponse } from './codec.js';

export type { LeaveGroupRequest, LeaveGroupResponse };
export const decodeRequest = (r: Reader): LeaveGroupRequest => decodeLeaveGroupRequest(r, 3);
export const encodeResponse = (w: Writer, res: LeaveGroupResponse): void => encodeLeaveGroupResponse(w, res, 3);
