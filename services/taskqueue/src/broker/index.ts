// The broker core's entry point: openBroker() recovers durable state from dataDir and returns a
// Broker (see ./contract.ts) for the AMQP server and the management API.

import type { Broker, BrokerOptions } from './contract.js';
import { CoreBroker, openCoreBroker } from './broker.js';
import { openMessageStore, type MessageStoreOptions } from './message-store.js';

export type * from './contract.js';
export { CoreBroker } from './broker.js';
export type { BrokerTotals } from './broker.js';

/** open (and recover) a broker whose durable state lives in options.dataDir */
export async function openBroker(options: BrokerOptions & Partial<Pick<MessageStoreOptions, 'segmentBytes'>>): Promise<CoreBroker & Broker> {
  return openCoreBroker(options, openMessageStore);
}

/** a broker that keeps nothing on disk (unit tests) */
export function memoryBroker(): CoreBroker {
  return new CoreBroker(null);
}
