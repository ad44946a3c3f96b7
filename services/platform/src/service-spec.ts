// What the supervisor runs: one entry per long-running service or one-shot step, in start order.

export interface ServiceSpec {
  name: string;
  /** TypeScript entry point relative to the repository root, run with `node --import tsx` */
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** the next service starts only once this TCP port on 127.0.0.1 accepts connections */
  readyPort?: number;
  /** a step that must exit 0 before the next starts (migrations), never restarted */
  oneShot?: boolean;
}
