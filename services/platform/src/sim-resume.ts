import { TOPIC } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { latestTimestamp } from '@riderflow/walkthrough';

// A second `npm start` continues the simulated clock where the log ends, so simulated time never
// runs backwards on the log and "replay from 18:00" keeps meaning one moment.

/** Topics the simulator writes most often: their newest record is the simulated "now". */
const CLOCK_TOPICS = [TOPIC.riderLocation, TOPIC.orderEvents];

/** Newest simulated time on the log, or null when the simulator has never written to it. */
export async function newestSimTime(brokers: string[]): Promise<number | null> {
  // The kit's client, so SASL credentials (KAFKA_SASL_*) apply here as in every service.
  const kafka = createKafka({ ...loadConfig(process.env), kafkaBrokers: brokers }, 'riderflow-platform', { retry: { retries: 3 } });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics().finally(() => admin.disconnect()));
  let newest: number | null = null;
  for (const topic of CLOCK_TOPICS.filter((t) => existing.has(t))) {
    const ts = await latestTimestamp(kafka, topic).catch(() => null);
    if (ts !== null && (newest === null || ts > newest)) newest = ts;
  }
  return newest;
}

/** The simulator's --start: one simulated second after the newest record, else the configured start. */
export async function simulatorStart(brokers: string[], fallback: string): Promise<{ start: string; resumed: boolean }> {
  const newest = await newestSimTime(brokers);
  if (newest === null) return { start: new Date(Date.parse(fallback)).toISOString(), resumed: false };
  return { start: new Date(newest + 1_000).toISOString(), resumed: true };
}
