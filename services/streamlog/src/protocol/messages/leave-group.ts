// LeaveGroup (key 13), after Kafka's LeaveGroupRequest.json / LeaveGroupResponse.json. Before v3 one
// member leaves per request and the response carries just its error (see ../../server/apis.ts).
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface LeaveGroupRequest { groupId: string; members: { memberId: string; groupInstanceId: string | null }[] }
export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export const leaveGroupSpec: MessageSpec = {
  apiKey: 13,
  name: 'LeaveGroup',
  validVersions: '0-5',
  flexibleVersions: '4+',
  request: [
    field('groupId', 'string', '0+'),
    field('memberId', 'string', '0-2'),
    struct('members', '3+', [
      field('memberId', 'string', '3+'),
      field('groupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
      field('reason', 'string', '5+', { nullableVersions: '5+', default: null }),
    ]),
  ],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    field('errorCode', 'int16', '0+'),
    struct('members', '3+', [
      field('memberId', 'string', '3+'),
      field('groupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
      field('errorCode', 'int16', '3+'),
    ]),
  ],
};
