// LeaveGroup v2 (key 13): same layout as v1. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeLeaveGroupRequest, encodeLeaveGroupResponse, type LeaveGroupRequest, type LeaveGroupResponse } from './codec.js';

export type { LeaveGroupRequest, LeaveGroupResponse };
export const decodeRequest = (r: Reader): LeaveGroupRequest => decodeLeaveGroupRequest(r, 2);
export const encodeResponse = (w: Writer, res: LeaveGroupResponse): void => encodeLeaveGroupResponse(w, res, 2);
