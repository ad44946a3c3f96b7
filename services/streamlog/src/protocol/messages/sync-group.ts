// SyncGroup (key 14), after Kafka's SyncGroupRequest.json / SyncGroupResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType?: string | null;
  protocolName?: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}
export interface SyncGroupResponse { throttleTimeMs: number; errorCode: number; protocolType?: string | null; protocolName?: string | null; assignment: Buffer }

export const syncGroupSpec: MessageSpec = {
  apiKey: 14,
  name: 'SyncGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: [
    field('groupId', 'string', '0+'),
    field('generationId', 'int32', '0+'),
    field('memberId', 'string', '0+'),
    field('groupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
    field('protocolType', 'string', '5+', { nullableVersions: '5+', default: null }),
    field('protocolName', 'string', '5+', { nullableVersions: '5+', default: null }),
    struct('assignments', '0+', [field('memberId', 'string', '0+'), field('assignment', 'bytes', '0+')]),
  ],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    field('errorCode', 'int16', '0+'),
    field('protocolType', 'string', '5+', { nullableVersions: '5+', default: null }),
    field('protocolName', 'string', '5+', { nullableVersions: '5+', default: null }),
    field('assignment', 'bytes', '0+'),
  ],
};
