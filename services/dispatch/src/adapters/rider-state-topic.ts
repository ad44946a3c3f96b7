import type { Kafka, Producer } from 'kafkajs';
import { DispatchRiderStateSchema, STATE_TOPIC, type DispatchRiderState } from '@riderflow/contracts';
import { readStateTopic, type Logger } from '@riderflow/service-kit';
import type { RiderStateTracker } from './rider-state-tracker.js';

const TOPIC = STATE_TOPIC.dispatchRiderState;

/**
 * Every rider's latest state on dispatch.rider-state (riders whose latest record is a tombstone
 * are left out), read to the topic's end with the kit's state-topic reader.
 */
export async function readRiderStates(kafka: Kafka, logger: Logger, timeoutMs = 60_000): Promise<DispatchRiderState[]> {
  const { latest } = await readStateTopic(kafka, TOPIC, { logger, timeoutMs });
  const states: DispatchRiderState[] = [];
  for (const [key, value] of latest) {
    if (value === null) continue;
    const parsed = DispatchRiderStateSchema.safeParse(safeJson(value.toString()));
    if (parsed.success) states.push(parsed.data);
    else logger.warn({ key }, 'unreadable record on dispatch.rider-state; skipped');
  }
  return states;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Writes the tracker's changes to dispatch.rider-state every `intervalMs` (and on stop): one
 * record per changed rider, so a rider pinging many times between writes costs one record. A
 * failed write is given back and retried at the next tick.
 */
export class RiderStateWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly tracker: RiderStateTracker,
    private readonly logger: Logger,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
  }

  /** Writes what changed so far; resolves once it is on the log (or the write failed). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeChanges());
    return this.writing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeChanges(): Promise<void> {
    const changes = this.tracker.takeChanges();
    if (changes.size === 0) return;
    try {
      await this.producer.send({
        topic: TOPIC,
        messages: [...changes].map(([riderId, s]) => ({ key: riderId, value: s ? JSON.stringify(s) : null, ...(s ? { timestamp: String(s.seenAt) } : {}) })),
      });
    } catch (err) {
      this.tracker.giveBack(changes);
      this.logger.warn({ err, riders: changes.size }, 'could not write rider state; retrying');
    }
  }
}
