// DeleteGroups v0 (key 42). Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse, type DeleteGroupsRequest, type DeleteGroupsResponse } from './codec.js';

export type { DeleteGroupsRequest, DeleteGroupsResponse };
export const decodeRequest = (r: Reader): DeleteGroupsRequest => decodeDeleteGroupsRequest(r);
export const encodeResponse = (w: Writer, res: DeleteGroupsResponse): void => encodeDeleteGroupsResponse(w, res);
