// DescribeGroups (key 15), after Kafka's DescribeGroupsRequest.json / DescribeGroupsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DescribedGroupMember { memberId: string; groupInstanceId?: string | null; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }
export interface DescribedGroup { errorCode: number; groupId: string; groupState: string; protocolType: string; protocolData: string; members: DescribedGroupMember[] }
export interface DescribeGroupsRequest { groups: string[] }
export interface DescribeGroupsResponse { throttleTimeMs: number; groups: DescribedGroup[] }

export const describeGroupsSpec: MessageSpec = {
  apiKey: 15,
  name: 'DescribeGroups',
  validVersions: '0-5',
  flexibleVersions: '5+',
  request: [field('groups', '[]string', '0+'), field('includeAuthorizedOperations', 'bool', '3+')],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    struct('groups', '0+', [
      field('errorCode', 'int16', '0+'),
      field('groupId', 'string', '0+'),
      field('groupState', 'string', '0+'),
      field('protocolType', 'string', '0+'),
      field('protocolData', 'string', '0+'),
      struct('members', '0+', [
        field('memberId', 'string', '0+'),
        field('groupInstanceId', 'string', '4+', { nullableVersions: '4+', default: null }),
        field('clientId', 'string', '0+'),
        field('clientHost', 'string', '0+'),
        field('memberMetadata', 'bytes', '0+'),
        field('memberAssignment', 'bytes', '0+'),
      ]),
      field('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
    ]),
  ],
};
