import { messageSpecs } from './messages/index.js';
import { versionRange } from './schema/message.js';

/**
 * The versions of each API this broker implements: each description's validVersions, from the
 * oldest version current clients still send (kafka-python 2.0 starts at Metadata v0, librdkafka
 * probes ApiVersions v3 then v0 and needs the group APIs from v0 for its balanced consumer) up to
 * at least what Kafka 3.x clients use, flexible versions included. ApiVersions advertises exactly these.
 */
export const advertisedApiVersions = messageSpecs
  .map((spec) => {
    const { min, max } = versionRange(spec);
    return { apiKey: spec.apiKey, minVersion: min, maxVersion: max };
  })
  .sort((a, b) => a.apiKey - b.apiKey);
