// FindCoordinator v0 (key 10): the key alone (librdkafka's group-coordinator features need v0). Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, type FindCoordinatorRequest, type FindCoordinatorResponse } from './codec.js';

export type { FindCoordinatorRequest, FindCoordinatorResponse };
export const decodeRequest = (r: Reader): FindCoordinatorRequest => decodeFindCoordinatorRequest(r, 0);
export const encodeResponse = (w: Writer, res: FindCoordinatorResponse): void => encodeFindCoordinatorResponse(w, res, 0);
