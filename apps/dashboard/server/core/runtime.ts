// The header says which runtime is live: the embedded brokers `npm start` runs, or the external
// Kafka and AMQP broker it was pointed at. URLs are shown without their passwords.

export interface Runtime { log: string; queues: string }

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : '5672')}`;
  } catch {
    return 'an unreadable URL';
  }
}

export function describeRuntime(kafkaBrokers: string[], amqpUrl: string, embedded: string): Runtime {
  const inside = new Set(embedded.split(',').map((s) => s.trim()).filter(Boolean));
  return {
    log: inside.has('log') ? `embedded log (streamlog, ${kafkaBrokers.join(', ')})` : `Kafka at ${kafkaBrokers.join(', ')}`,
    queues: inside.has('queues') ? `embedded queues (taskqueue, ${hostOf(amqpUrl)})` : `RabbitMQ at ${hostOf(amqpUrl)}`,
  };
}
