// What the broker asks of its message store, and what the store hands back on open.

import type { ExchangeType, FieldTable, Message } from './contract.js';

export interface ExchangeRecord {
  name: string;
  type: ExchangeType;
  autoDelete: boolean;
  internal: boolean;
  arguments: FieldTable;
}

export interface QueueRecord {
  name: string;
  /** incarnation key: a queue deleted and declared again gets a new key, so old messages stay dead */
  key: number;
  autoDelete: boolean;
  arguments: FieldTable;
}

export interface BindingRecord {
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  routingKey: string;
  arguments: FieldTable;
}

export interface Topology {
  nextQueueKey: number;
  exchanges: ExchangeRecord[];
  queues: QueueRecord[];
  bindings: BindingRecord[];
}

export interface RecoveredMessage {
  id: number;
  queueKey: number;
  expiresAt: number;
  message: Message;
  /** it had been delivered before the restart */
  redelivered: boolean;
}

export interface MessageStore {
  /** journal a persistent message copy; resolves once it is on disk (per the durability mode) */
  append(id: number, queueKey: number, expiresAt: number, message: Message): Promise<void>;
  /** the copy was acked, dropped or dead-lettered */
  remove(id: number): void;
  /** the copy was handed to a consumer for the first time */
  delivered(id: number): void;
  saveTopology(topology: Topology): void;
  close(): Promise<void>;
}

export interface OpenedStore {
  store: MessageStore;
  topology: Topology | null;
  /** live messages in id order */
  messages: RecoveredMessage[];
}
