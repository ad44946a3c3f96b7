// FindCoordinator (key 10), after Kafka's FindCoordinatorRequest.json / FindCoordinatorResponse.json.
// From v4 one request looks up several keys.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface FindCoordinatorRequest { key: string; keyType: number; coordinatorKeys: string[] }
export interface Coordinator { key: string; nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null }
export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
  coordinators?: Coordinator[];
}

export const findCoordinatorSpec: MessageSpec = {
  apiKey: 10,
  name: 'FindCoordinator',
  validVersions: '0-4',
  flexibleVersions: '3+',
  request: [field('key', 'string', '0-3'), field('keyType', 'int8', '1+'), field('coordinatorKeys', '[]string', '4+')],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    field('errorCode', 'int16', '0-3'),
    field('errorMessage', 'string', '1-3', { nullableVersions: '1-3', default: null }),
    field('nodeId', 'int32', '0-3'),
    field('host', 'string', '0-3'),
    field('port', 'int32', '0-3'),
    struct('coordinators', '4+', [
      field('key', 'string', '4+'),
      field('nodeId', 'int32', '4+'),
      field('host', 'string', '4+'),
      field('port', 'int32', '4+'),
      field('errorCode', 'int16', '4+'),
      field('errorMessage', 'string', '4+', { nullableVersions: '4+', default: null }),
    ]),
  ],
};
