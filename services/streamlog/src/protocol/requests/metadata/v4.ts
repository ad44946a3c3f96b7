// Metadata v4 (key 3): adds allow_auto_topic_creation; the newest librdkafka 2.0.x asks for. Layout: see ./codec.ts.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataRequest, type MetadataResponse } from './codec.js';

export type { MetadataRequest, MetadataResponse };
export const decodeRequest = (r: Reader): MetadataRequest => decodeMetadataRequest(r);
export const encodeResponse = (w: Writer, res: MetadataResponse): void => encodeMetadataResponse(w, res, 4);
