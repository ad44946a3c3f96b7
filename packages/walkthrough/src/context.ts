import type { Kafka } from 'kafkajs';

// What every walkthrough step needs: a Kafka client, the AMQP URL and the management API URL of
// whichever brokers the platform runs on. Steps report as they go through `say`.

export interface WalkthroughContext {
  kafka: Kafka;
  amqpUrl: string;
  managementUrl: string;
  /** the newest simulated time on the log (ms) */
  simNow: () => Promise<number>;
  say: (line: string) => void;
}

export interface StepResult {
  ok: boolean;
  /** short lines of evidence, as printed in the terminal and shown on the dashboard */
  evidence: string[];
  /** the full text behind a summarised line (a dead letter's whole reason), shown on request */
  details?: string[];
  data?: Record<string, unknown>;
}

export interface Step {
  id: string;
  title: string;
  /** the point this step proves, in one sentence */
  lesson: string;
  /** where to look on the dashboard (what the step leaves there stays until the next run) */
  where: string;
  /** the platform's own flows this step is about: which topics, which queues */
  flows: string;
  run: (ctx: WalkthroughContext) => Promise<StepResult>;
}
