// JoinGroup v2 (key 11): adds throttle_time_ms. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse, type JoinGroupRequest, type JoinGroupResponse } from './codec.js';

export type { JoinGroupRequest, JoinGroupResponse };
export const decodeRequest = (r: Reader): JoinGroupRequest => decodeJoinGroupRequest(r, 2);
export const encodeResponse = (w: Writer, res: JoinGroupResponse): void => encodeJoinGroupResponse(w, res, 2);
