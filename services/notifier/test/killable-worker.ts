import amqp, { type ChannelModel } from 'amqplib';
import { NotifierWorker, type NotifierWorkerOptions } from '../src/worker.js';

export interface KillableWorker {
  worker: NotifierWorker;
  /**
   * Simulates the process dying: the worker is abandoned (every in-flight handler stops at its
   * next step — possibly after the provider sent but before the ledger recorded it) and the TCP
   * connection is torn down without closing AMQP, so the broker requeues every unacked task.
   */
  kill(): void;
}

/** A notifier worker the crash tests can kill; production workers have no such hook. */
export function killableWorker(options: Omit<NotifierWorkerOptions, 'connect' | 'abandon'>): KillableWorker {
  const abandon = new AbortController();
  let connection: ChannelModel | undefined;
  const worker = new NotifierWorker({
    ...options,
    abandon: abandon.signal,
    connect: async (url, connectionName) => {
      connection = await amqp.connect(url, { clientProperties: { connection_name: connectionName } });
      return connection;
    },
  });
  return {
    worker,
    kill() {
      abandon.abort();
      // amqplib has no public way to drop a connection without closing it: reach its socket.
      const stream = (connection as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream;
      stream?.destroy();
    },
  };
}
