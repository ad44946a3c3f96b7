// What the server tells clients in connection.start: who it is and which RabbitMQ extensions it
// implements. Clients switch features on from these capabilities (amqplib, amqp-client, pika...).
import type { FieldTable } from '../broker/contract.js';

export const PRODUCT = 'Riderflow taskqueue';
export const VERSION = '0.1.0';

export function serverProperties(): FieldTable {
  return {
    capabilities: {
      publisher_confirms: true,
      exchange_exchange_bindings: true,
      'basic.nack': true,
      consumer_cancel_notify: true,
      'connection.blocked': true,
      consumer_priorities: true,
      authentication_failure_close: true,
      per_consumer_qos: true,
      direct_reply_to: true,
    },
    cluster_name: 'riderflow@localhost',
    copyright: 'Riderflow contributors',
    information: 'Embedded AMQP 0-9-1 broker; see services/taskqueue',
    platform: `Node.js ${process.version}`,
    product: PRODUCT,
    version: VERSION,
  };
}

export const MECHANISMS = 'PLAIN AMQPLAIN';
export const LOCALES = 'en_US';
