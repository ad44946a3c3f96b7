import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The brokers an AMQP suite runs against: the embedded taskqueue always, real RabbitMQ as well when
// RABBITMQ_URL is set. The embedded broker's start function is passed in, so this kit never imports
// a broker service itself (packages do not import services); the test that calls it does.

export interface TestBroker { name: string; url(): string; start?(): Promise<void>; stop?(): Promise<void> }

export interface EmbeddedBroker { url: string; close(): Promise<void> }

export interface AmqpTestBrokerOptions {
  /** Starts the embedded broker in a fresh data directory (e.g. startTaskqueue on port 0). */
  startEmbedded(dataDir: string): Promise<EmbeddedBroker>;
  /** Prefix of the temporary data directory, so a leftover names its suite. */
  dirPrefix: string;
  /** Name of the embedded broker in test titles. */
  embeddedName?: string;
  env?: Record<string, string | undefined>;
}

export function amqpTestBrokers(options: AmqpTestBrokerOptions): TestBroker[] {
  const env = options.env ?? process.env;
  let embedded: EmbeddedBroker | undefined;
  let dir = '';
  return [
    {
      name: options.embeddedName ?? 'taskqueue',
      url: () => {
        if (!embedded) throw new Error('the embedded broker is not started');
        return embedded.url;
      },
      start: async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), options.dirPrefix));
        embedded = await options.startEmbedded(dir);
      },
      stop: async () => {
        await embedded?.close();
        embedded = undefined;
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
    },
    ...(env.RABBITMQ_URL ? [{ name: 'RabbitMQ', url: () => env.RABBITMQ_URL! }] : []),
  ];
}
