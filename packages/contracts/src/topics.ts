import type { LogEvent, LogEventType } from './events/log-event.js';

export interface TopicSpec {
  partitions: number;
  /** What the record key is; records of one entity share a key, so their order holds. */
  key: string;
  /** Event types that belong on this topic. */
  types: readonly LogEventType[];
}

/** Every topic on the log: name → partitions, key, event types. */
export const TOPICS = {
  'rider.location': { partitions: 6, key: 'riderId', types: ['rider.location'] },
  'rider.shifts': { partitions: 3, key: 'riderId', types: ['rider.shift_started', 'rider.shift_ended', 'rider.availability'] },
  'order.events': {
    partitions: 6,
    key: 'orderId',
    types: ['order.created', 'order.ready', 'order.assigned', 'order.picked_up', 'order.delivered', 'order.cancelled'],
  },
  'weather.updates': { partitions: 1, key: 'zoneId', types: ['weather.updated'] },
  'dispatch.assignments': { partitions: 3, key: 'riderId', types: ['dispatch.assigned', 'dispatch.repositioned'] },
  'roster.plans': { partitions: 1, key: "zoneId or 'all'", types: ['roster.plan', 'roster.shift_plan', 'roster.model'] },
  'notification.results': { partitions: 3, key: 'notificationId', types: ['notification.result'] },
  'events.dead': { partitions: 1, key: 'source topic', types: ['event.dead'] },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];

/** Named constants, so a typo is a compile error: TOPIC.orderEvents === 'order.events'. */
export const TOPIC = {
  riderLocation: 'rider.location',
  riderShifts: 'rider.shifts',
  orderEvents: 'order.events',
  weatherUpdates: 'weather.updates',
  dispatchAssignments: 'dispatch.assignments',
  rosterPlans: 'roster.plans',
  notificationResults: 'notification.results',
  eventsDead: 'events.dead',
} as const satisfies Record<string, TopicName>;

/**
 * Compacted state topics: the latest record per key, kept for ever (tombstones for a while), for a
 * service to rebuild its state on start. Their values are snapshots, not LogEvents, so they are
 * kept apart from TOPICS (which every event reader subscribes to). `configs` are the Kafka topic
 * configs each is created with.
 */
export interface StateTopicSpec {
  partitions: number;
  key: string;
  /** What a record's value is (its schema in @riderflow/contracts) and what a null value means. */
  value: string;
  configs: Readonly<Record<string, string>>;
}

export const STATE_TOPICS = {
  'dispatch.rider-state': {
    partitions: 3,
    key: 'riderId',
    value: 'DispatchRiderStateSchema; null (tombstone) = rider off shift',
    configs: {
      'cleanup.policy': 'compact',
      // The active segment is never cleaned, and every rider is rewritten every 250 ms: all of it
      // is superseded writes. The embedded log rolls it in its cleaner pass (every 15 s) once it is
      // segment.ms old and cleans at once, so under the pass interval it is rolled at every pass and
      // at most one interval of writes is dirty (60 s let 60-90 s pile up: ~99 % of the topic).
      'segment.ms': '10000',
      'min.cleanable.dirty.ratio': '0.5',
      // a consumer has a day to see that a rider went off shift before the tombstone goes
      'delete.retention.ms': '86400000',
    },
  },
  'rostering.models': {
    // one partition: offsets order every write, so "the last record claiming active wins" is total
    partitions: 1,
    key: 'model version',
    value: 'RosteringModelRecordSchema (metrics, status active/inactive, the files with the weights); null (tombstone) = version retired',
    configs: {
      'cleanup.policy': 'compact',
      // retrains are rare (minutes to hours apart): roll the active segment every 10 minutes so the
      // cleaner reaches a superseded record within about that long
      'segment.ms': '600000',
      // records are ~15 kB and few; cleaning is cheap, so clean once a tenth of the log is stale
      'min.cleanable.dirty.ratio': '0.1',
      // a rostering or dashboard offline for up to a week still learns that a version was retired
      'delete.retention.ms': '604800000',
    },
  },
} as const satisfies Record<string, StateTopicSpec>;

export type StateTopicName = keyof typeof STATE_TOPICS;

export const STATE_TOPIC = {
  dispatchRiderState: 'dispatch.rider-state',
  rosteringModels: 'rostering.models',
} as const satisfies Record<string, StateTopicName>;

const TOPIC_OF_TYPE = new Map<string, TopicName>();
for (const name of TOPIC_NAMES) for (const t of TOPICS[name].types) TOPIC_OF_TYPE.set(t, name);

/** The topic an event type is published to. */
export function topicForType(type: LogEventType): TopicName {
  const topic = TOPIC_OF_TYPE.get(type);
  if (!topic) throw new Error(`no topic for event type ${type}`);
  return topic;
}

export function topicForEvent(event: LogEvent): TopicName {
  return topicForType(event.type);
}

/** Whether an event type may appear on a topic (unknown topics accept anything: tests and tools use their own). */
export function typeAllowedOnTopic(type: string, topic: string): boolean {
  const spec = (TOPICS as Record<string, TopicSpec>)[topic];
  return !spec || (spec.types as readonly string[]).includes(type);
}

/** The record key of an event: its entity id, so per-entity order holds on one partition. */
export function keyForEvent(event: LogEvent): string {
  switch (event.type) {
    case 'rider.location':
    case 'rider.shift_started':
    case 'rider.shift_ended':
    case 'rider.availability':
    case 'dispatch.assigned':
    case 'dispatch.repositioned':
      return event.riderId;
    case 'order.created':
    case 'order.ready':
    case 'order.assigned':
    case 'order.picked_up':
    case 'order.delivered':
    case 'order.cancelled':
      return event.orderId;
    case 'weather.updated':
      return event.zoneId;
    case 'roster.plan':
    case 'roster.shift_plan':
    case 'roster.model':
      return 'all';
    case 'notification.result':
      return event.notificationId;
    case 'event.dead':
      return event.sourceTopic;
  }
}
