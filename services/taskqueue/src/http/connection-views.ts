// Connections, channels and consumers in the JSON shapes of RabbitMQ's management API
// (/api/connections, /api/channels, /api/consumers; fields as RabbitMQ 3.10 gives them, probed),
// so rabbitmqadmin and dashboards written for RabbitMQ list our clients unchanged. Fields RabbitMQ
// fills from the Erlang runtime (garbage_collection, reductions) are left out rather than invented.

import type { ChannelInfo } from '../amqp/channel.js';
import type { ConnectionInfo } from '../amqp/connection.js';
import { jsonTable } from './json-shape.js';

export const NODE_NAME = 'taskqueue@localhost';

/** "127.0.0.1:54321 -> 127.0.0.1:5673", RabbitMQ's connection name */
export function connectionName(c: ConnectionInfo): string {
  return `${c.peerHost}:${c.peerPort} -> ${c.host}:${c.port}`;
}

/** "127.0.0.1:54321 -> 127.0.0.1:5673 (1)", RabbitMQ's channel name */
function channelName(c: ConnectionInfo, ch: ChannelInfo): string {
  return `${connectionName(c)} (${ch.number})`;
}

export function connectionJson(c: ConnectionInfo) {
  const provided = c.clientProperties['connection_name'];
  return {
    name: connectionName(c),
    node: NODE_NAME,
    type: 'network',
    protocol: 'AMQP 0-9-1',
    state: 'running',
    user: c.user ?? '',
    user_who_performed_action: c.user ?? '',
    vhost: c.vhost,
    host: c.host,
    port: c.port,
    peer_host: c.peerHost,
    peer_port: c.peerPort,
    ssl: false,
    auth_mechanism: 'PLAIN',
    channels: c.channels,
    channel_max: c.channelMax,
    frame_max: c.frameMax,
    timeout: c.heartbeat,
    connected_at: c.connectedAt,
    send_pend: c.sendPending,
    client_properties: jsonTable(c.clientProperties),
    ...(typeof provided === 'string' ? { user_provided_name: provided } : {}),
  };
}

export function channelJson(c: ConnectionInfo, ch: ChannelInfo) {
  return {
    name: channelName(c, ch),
    node: NODE_NAME,
    number: ch.number,
    state: 'running',
    user: c.user ?? '',
    user_who_performed_action: c.user ?? '',
    vhost: c.vhost,
    connection_details: { name: connectionName(c), peer_host: c.peerHost, peer_port: c.peerPort },
    consumer_count: ch.consumers.length,
    prefetch_count: ch.prefetchCount,
    global_prefetch_count: ch.globalPrefetchCount,
    messages_unacknowledged: ch.unacknowledged,
    messages_unconfirmed: ch.unconfirmed,
    messages_uncommitted: ch.uncommitted,
    acks_uncommitted: 0,
    confirm: ch.confirm,
    transactional: ch.transactional,
  };
}

export function consumersJson(c: ConnectionInfo, ch: ChannelInfo) {
  return ch.consumers.map((k) => ({
    consumer_tag: k.tag,
    queue: { name: k.queue, vhost: c.vhost },
    channel_details: {
      name: channelName(c, ch),
      connection_name: connectionName(c),
      number: ch.number,
      node: NODE_NAME,
      peer_host: c.peerHost,
      peer_port: c.peerPort,
      user: c.user ?? '',
    },
    ack_required: k.ackRequired,
    exclusive: k.exclusive,
    prefetch_count: k.prefetchCount,
    arguments: jsonTable(k.arguments),
    active: true,
    activity_status: 'up',
  }));
}
