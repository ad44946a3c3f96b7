// Shapes the gateway sends (kept in sync with server/core/live-state.ts and the adapters).
export interface KpiTile { key: string; label: string; unit: string; value: number | null; previous: number | null; delta: number | null; higherIsBetter: boolean; definition: string }
export interface ZoneFrame { id: string; name: string; bounds: [number, number, number, number]; ordersLastWindow: number; ridersPresent: number; weather: string; rainMmH: number; forecastOrders: number | null; ridersNeeded: number | null }
export interface BrokerStatus { name: 'log' | 'queues'; live: boolean; lastOkAt: number; error: string | null }
export interface LiveFrame {
  simTime: number;
  windowMin: number;
  riders: [string, number, number, number][];
  ridersByStatus: Record<string, number>;
  fleet: number;
  speed: number | null;
  since: number;
  stores: [string, number, number][];
  /** [lat, lon, assigned 0|1, orderId] */
  openOrders: [number, number, number, string][];
  zones: ZoneFrame[];
  kpis: KpiTile[];
  feed: { ts: number; type: string; text: string }[];
  counts: { events: number; invalid: number; byType: Record<string, number> };
  plan: { planId: string; modelVersion: string; bucketStart: number; moves: number; callIns: { hourStart: number; riders: number }[] } | null;
  sentAt: number;
  status: BrokerStatus[];
  runtime: { log: string; queues: string };
}
export interface PartitionInfo { partition: number; low: string; high: string; messages: number }
export interface TopicInfo { name: string; partitions: PartitionInfo[]; messages: number; bytes?: number }
export interface GroupInfo { groupId: string; state: string; members: number; lag: number; lagSeconds: number; shortLived: boolean; partitions: { topic: string; partition: number; committed: string; high: string; lag: number; lagSeconds: number }[] }
export interface LogSnapshot { at: number; topics: TopicInfo[]; groups: GroupInfo[]; history: { at: number; groups: Record<string, { lag: number; lagSeconds: number }> }[]; replays: { groupId: string; topic: string; from: number; consumed: number; caughtUp: boolean }[]; lagMethod?: string }
export interface QueueRow { name: string; ready: number; unacked: number; consumers: number; publishRate: number; deliverRate: number; ackRate: number; deadLetterExchange: string | null }
export interface QueuesSnapshot { at: number; queues: QueueRow[]; exchanges: { name: string; type: string }[]; bindings: { source: string; destination: string; routingKey: string }[]; rates?: RatePoint[] }
export interface RatePoint { at: number; publish: number; deliver: number; ack: number }
export interface LogRecord { topic: string; partition: number; offset: string; key: string | null; timestamp: string; value: string; headers?: Record<string, string> }
export interface TopicDetail { name: string; partitions: (PartitionInfo & { bytes: number | null })[]; config: { name: string; value: string | null; isDefault: boolean }[] | null; configError: string | null; sizeOnDisk: number | null; sizeError: string | null }
export interface QueueMessage { payload: string; payload_encoding?: string; routing_key: string; exchange: string; redelivered?: boolean; properties: { headers?: Record<string, unknown>; [key: string]: unknown } }
export const STATUS_NAMES = ['idle', 'to_store', 'waiting', 'to_customer', 'repositioning', 'off_shift'] as const;
export const STATUS_COLOURS = ['#4ade80', '#facc15', '#fb923c', '#60a5fa', '#c084fc', '#64748b'];
/** what each state means, in the words of the legend */
export const STATUS_LABELS = ['idle', 'to store', 'waiting at store', 'to customer', 'repositioning', 'off shift'];
