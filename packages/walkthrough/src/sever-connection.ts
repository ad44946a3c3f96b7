import type { ChannelModel } from 'amqplib';

/**
 * Cuts an AMQP connection's socket without a close handshake, as a crashed worker would: the
 * broker sees the TCP connection die and requeues the unacknowledged deliveries. amqplib has no
 * public call for this, so this one place reaches into its internals (`connection.stream`); kept
 * apart from the steps so an amqplib upgrade that moves the socket breaks here, visibly.
 */
export function severConnection(model: ChannelModel): void {
  const socket = (model as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
  if (typeof socket?.destroy !== 'function') throw new Error('amqplib internals changed: no connection.stream.destroy() to sever the worker');
  socket.destroy();
}
