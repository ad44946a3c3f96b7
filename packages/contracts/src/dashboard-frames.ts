// What the dashboard server sends its pages (socket.io frames and REST answers). The server builds
// them and the browser draws them, so both import these shapes from here instead of keeping a copy.
// Types only, so a page's `import type` of them is erased before bundling (see rider-statuses.ts).
import type { RiderStatus } from './rider-statuses.js';
import type { WeatherCondition } from './events/weather.js';

export interface KpiTile {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  previous: number | null;
  /** value - previous, null when either is unknown */
  delta: number | null;
  /** whether a rising value is good news (for colouring) */
  higherIsBetter: boolean;
  /** what the number means, in one sentence (the tile's tooltip) */
  definition: string;
}

export interface FeedItem { ts: number; type: string; text: string }

export interface ZoneFrame {
  id: string;
  /** district name, or the id when the zone's outline is not known */
  name: string;
  bounds: [number, number, number, number]; // minLat, minLon, maxLat, maxLon: the outline, else as observed
  ordersLastWindow: number;
  ridersPresent: number;
  weather: WeatherCondition;
  rainMmH: number;
  forecastOrders: number | null;
  ridersNeeded: number | null;
}

/** The live state folded from the log (the server's LiveState.frame()). */
export interface LiveStateFrame {
  /** simulated clock: the newest event time seen */
  simTime: number;
  windowMin: number;
  /** [riderId, lat, lon, statusCode] (statusCode: RIDER_STATUS_CODES) */
  riders: [string, number, number, number][];
  /** counts per state that add up to `fleet` (off_shift = the fleet minus those on shift) */
  ridersByStatus: Record<RiderStatus, number>;
  /** riders in the fleet: the configured size, or every rider seen so far if more */
  fleet: number;
  /** simulated seconds per wall second: the configured speed, else measured; null until known */
  speed: number | null;
  /** simulated time of the first world event this dashboard read (0 before) */
  since: number;
  stores: [string, number, number][];
  /** [lat, lon, assigned 0|1, orderId] */
  openOrders: [number, number, number, string][];
  zones: ZoneFrame[];
  kpis: KpiTile[];
  feed: FeedItem[];
  counts: { events: number; invalid: number; byType: Record<string, number> };
  /** The newest roster plan; the pages name it by its window (bucketStart + horizonMin), not by planId. */
  plan: { planId: string; modelVersion: string; bucketStart: number; horizonMin: number; moves: number; callIns: { hourStart: number; riders: number }[] } | null;
}

/** Whether the dashboard can reach the log and the queues right now. */
export interface BrokerStatus {
  name: 'log' | 'queues'; live: boolean; lastOkAt: number; error: string | null;
  /** something the reader did that the operator should know though it is live (records set aside into events.dead) */
  note?: string | null;
}

/** Which log and queues the dashboard reads, for the header. */
export interface RuntimeInfo { log: string; queues: string }

/** The live page's socket frame: the folded state plus when it was sent and the brokers' state. */
export interface LiveFrame extends LiveStateFrame {
  sentAt: number;
  status: BrokerStatus[];
  runtime: RuntimeInfo;
}

export interface PartitionInfo { partition: number; low: string; high: string; messages: number }
export interface TopicInfo { name: string; partitions: PartitionInfo[]; messages: number; bytes?: number }
export interface GroupPartitionLag { topic: string; partition: number; committed: string; high: string; lag: number; lagSeconds: number }
/**
 * shortLived: made for a finite job (kind 'job'); kind 'follower': a service's reader with a new id
 * each start (see service-kit short-lived-groups); 'service': a platform service's own group;
 * 'foreign': any other (kcat, a script, a Kafka tool; see service-kit platform-groups)
 */
export interface GroupInfo { groupId: string; state: string; members: number; lag: number; lagSeconds: number; shortLived: boolean; kind: 'job' | 'follower' | 'service' | 'foreign'; partitions: GroupPartitionLag[] }
export interface LagSample { at: number; groups: Record<string, { lag: number; lagSeconds: number }> }
/** One sample of topics and consumer groups, with the lag history. */
export interface LogSnapshot { at: number; topics: TopicInfo[]; groups: GroupInfo[]; history: LagSample[] }
/** A running replay. `caughtUp`: every one of the topic's `partitions` has been read to its log end (`partitionsAtEnd` of them so far). */
export interface ReplayInfo { groupId: string; topic: string; from: number; consumed: number; startedAt: number; caughtUp: boolean; partitions: number; partitionsAtEnd: number }
/** What the log page receives: the latest sample, the running replays and how lag is measured. */
export interface LogPageSnapshot extends LogSnapshot { replays: ReplayInfo[]; lagMethod?: string }
/**
 * One topic as the log describes it. `cleanupPolicy` is Kafka's cleanup.policy (delete, compact,
 * compact,delete; null when the log does not describe configuration); a partition's `dirtyRatio`
 * is the log cleaner's share of sealed bytes not cleaned yet, for compacted topics when the log's
 * metrics are reachable (else null, with the reason in `dirtyRatioError`).
 */
export interface TopicDetail { name: string; partitions: (PartitionInfo & { bytes: number | null; dirtyRatio: number | null })[]; config: { name: string; value: string | null; isDefault: boolean }[] | null; configError: string | null; sizeOnDisk: number | null; sizeError: string | null; cleanupPolicy: string | null; dirtyRatioError: string | null }
/** One record in the message browser. */
export interface LogRecord { topic: string; partition: number; offset: string; key: string | null; timestamp: string; value: string; headers?: Record<string, string> }

export interface RatePoint { at: number; publish: number; deliver: number; ack: number }
/** `exclusive`: owned by the one connection that declared it (a server-named `amq.gen-…` queue, typically): the broker lets no one else peek or purge it. */
export interface QueueRow { name: string; ready: number; unacked: number; consumers: number; publishRate: number; deliverRate: number; ackRate: number; deadLetterExchange: string | null; exclusive: boolean }
export interface QueuesSnapshot { at: number; queues: QueueRow[]; exchanges: { name: string; type: string }[]; bindings: { source: string; destination: string; routingKey: string }[]; rates?: RatePoint[] }
/** A message peeked from a queue (the management API's shape). */
export interface QueueMessage { payload: string; payload_encoding?: string; routing_key: string; exchange: string; redelivered?: boolean; properties: { headers?: Record<string, unknown>; [key: string]: unknown } }
