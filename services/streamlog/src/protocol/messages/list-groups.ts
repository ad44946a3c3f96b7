// ListGroups (key 16), after Kafka's ListGroupsRequest.json / ListGroupsResponse.json. From v4 the
// client may filter by state and each group carries its state.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface ListGroupsRequest { statesFilter: string[] }
export interface ListGroupsResponse { throttleTimeMs: number; errorCode: number; groups: { groupId: string; protocolType: string; groupState?: string }[] }

export const listGroupsSpec: MessageSpec = {
  apiKey: 16,
  name: 'ListGroups',
  validVersions: '0-4',
  flexibleVersions: '3+',
  request: [field('statesFilter', '[]string', '4+')],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    field('errorCode', 'int16', '0+'),
    struct('groups', '0+', [field('groupId', 'string', '0+'), field('protocolType', 'string', '0+'), field('groupState', 'string', '4+')]),
  ],
};
