// What the supervisor runs: one entry per long-running service or one-shot step, in start order.

export interface ServiceSpec {
  name: string;
  /** TypeScript entry point relative to the repository root, run with `node --import tsx` */
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** the next service starts only once this TCP port on 127.0.0.1 accepts connections */
  readyPort?: number;
  /**
   * Do not hold the next services back while this one gets ready (a slow first-start build runs
   * beside them); whoever needs it names it in `after`.
   */
  readyLater?: boolean;
  /** services whose readyPort must accept connections before this one starts */
  after?: string[];
  /** a step that must exit 0 before the next starts (migrations), never restarted */
  oneShot?: boolean;
  /** a one-shot step whose failure is reported but does not stop the start (first-start training) */
  optional?: boolean;
  /** asked before starting: a string skips the service and says why (e.g. "the log already has history") */
  skipIf?: () => Promise<string | false>;
  /**
   * Extra arguments computed at every launch (also after a crash), e.g. the simulator's start
   * time read from the log. A failure is logged and the service starts without them.
   */
  launchArgs?: () => Promise<string[]>;
  /**
   * Stop tier: higher tiers stop first, services of one tier stop together (default 1). Producers
   * stop before their consumers, consumers before the brokers, and one Ctrl-C stays fast.
   */
  stopTier?: number;
}
