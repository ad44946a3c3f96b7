// ApiVersions (key 18), after Kafka's ApiVersionsRequest.json / ApiVersionsResponse.json. v3 is
// flexible, but its response always goes out with response header v0 (a client cannot know yet
// whether we speak flexible versions). A version we do not implement is answered in v0 with
// UNSUPPORTED_VERSION and the list to pick from, as Kafka does.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface ApiVersionRange { apiKey: number; minVersion: number; maxVersion: number }
export interface ApiVersionsRequest { clientSoftwareName?: string; clientSoftwareVersion?: string }
export interface ApiVersionsResponse { errorCode: number; apiKeys: ApiVersionRange[]; throttleTimeMs: number }

export const apiVersionsSpec: MessageSpec = {
  apiKey: 18,
  name: 'ApiVersions',
  validVersions: '0-3',
  flexibleVersions: '3+',
  request: [field('clientSoftwareName', 'string', '3+'), field('clientSoftwareVersion', 'string', '3+')],
  response: [
    field('errorCode', 'int16', '0+'),
    struct('apiKeys', '0+', [field('apiKey', 'int16', '0+'), field('minVersion', 'int16', '0+'), field('maxVersion', 'int16', '0+')]),
    field('throttleTimeMs', 'int32', '1+'),
  ],
};
