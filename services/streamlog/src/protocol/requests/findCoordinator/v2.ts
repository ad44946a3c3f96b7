// FindCoordinator v2 (key 10): same layout as v1; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, type FindCoordinatorRequest, type FindCoordinatorResponse } from './codec.js';

export type { FindCoordinatorRequest, FindCoordinatorResponse };
export const decodeRequest = (r: Reader): FindCoordinatorRequest => decodeFindCoordinatorRequest(r, 2);
export const encodeResponse = (w: Writer, res: FindCoordinatorResponse): void => encodeFindCoordinatorResponse(w, res, 2);
