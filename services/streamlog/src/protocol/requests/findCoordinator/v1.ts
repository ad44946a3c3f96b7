// FindCoordinator v1 (key 10): adds key_type, throttle_time_ms and error_message. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, type FindCoordinatorRequest, type FindCoordinatorResponse } from './codec.js';

export type { FindCoordinatorRequest, FindCoordinatorResponse };
export const decodeRequest = (r: Reader): FindCoordinatorRequest => decodeFindCoordinatorRequest(r, 1);
export const encodeResponse = (w: Writer, res: FindCoordinatorResponse): void => encodeFindCoordinatorResponse(w, res, 1);
