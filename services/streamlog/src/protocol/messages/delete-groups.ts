// DeleteGroups (key 42), after Kafka's DeleteGroupsRequest.json / DeleteGroupsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DeleteGroupsRequest { groupsNames: string[] }
export interface DeleteGroupsResponse { throttleTimeMs: number; results: { groupId: string; errorCode: number }[] }

export const deleteGroupsSpec: MessageSpec = {
  apiKey: 42,
  name: 'DeleteGroups',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [field('groupsNames', '[]string', '0+')],
  response: [field('throttleTimeMs', 'int32', '0+'), struct('results', '0+', [field('groupId', 'string', '0+'), field('errorCode', 'int16', '0+')])],
};
