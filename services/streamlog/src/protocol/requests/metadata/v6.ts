// Metadata v6 (key 3): same layout as v5; what kafkajs 2.2.4 uses. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataRequest, type MetadataResponse } from './codec.js';

export type { MetadataRequest, MetadataResponse };
export const decodeRequest = (r: Reader): MetadataRequest => decodeMetadataRequest(r);
export const encodeResponse = (w: Writer, res: MetadataResponse): void => encodeMetadataResponse(w, res, 6);
