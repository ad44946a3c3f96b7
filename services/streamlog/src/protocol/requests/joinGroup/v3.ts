// JoinGroup v3 (key 11): same layout as v2. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse, type JoinGroupRequest, type JoinGroupResponse } from './codec.js';

export type { JoinGroupRequest, JoinGroupResponse };
export const decodeRequest = (r: Reader): JoinGroupRequest => decodeJoinGroupRequest(r, 3);
export const encodeResponse = (w: Writer, res: JoinGroupResponse): void => encodeJoinGroupResponse(w, res, 3);
