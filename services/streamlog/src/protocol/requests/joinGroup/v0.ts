// JoinGroup v0 (key 11): the session timeout doubles as the rebalance timeout. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse, type JoinGroupRequest, type JoinGroupResponse } from './codec.js';

export type { JoinGroupRequest, JoinGroupResponse };
export const decodeRequest = (r: Reader): JoinGroupRequest => decodeJoinGroupRequest(r, 0);
export const encodeResponse = (w: Writer, res: JoinGroupResponse): void => encodeJoinGroupResponse(w, res, 0);
