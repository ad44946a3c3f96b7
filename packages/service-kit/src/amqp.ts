import amqp, { type ChannelModel } from 'amqplib';
import type { Config } from './config.js';

/** An amqplib connection from config (AMQP_URL); works against RabbitMQ and taskqueue alike. */
export async function connectAmqp(config: Pick<Config, 'amqpUrl'>, options: { timeoutMs?: number; connectionName?: string } = {}): Promise<ChannelModel> {
  const socketOptions: Record<string, unknown> = { timeout: options.timeoutMs ?? 5_000 };
  if (options.connectionName) socketOptions.clientProperties = { connection_name: options.connectionName };
  return amqp.connect(config.amqpUrl, socketOptions);
}

/** The vhost an AMQP URL names: amqp://host/ and amqp://host mean "/", amqp://host/orders means "orders". */
export function vhostOf(amqpUrl: string): string {
  const p = new URL(amqpUrl).pathname;
  return p.length > 1 ? decodeURIComponent(p.slice(1)) : '/';
}
