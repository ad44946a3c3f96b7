import { StorageError } from './contract.js';

const LEGAL = /^[a-zA-Z0-9._-]+$/;
export const MAX_TOPIC_NAME_LENGTH = 249;

/** Kafka's topic-name rules; throws INVALID_TOPIC_EXCEPTION with the rule that failed. */
export function validateTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new StorageError('INVALID_TOPIC_EXCEPTION', 'topic name is empty');
  if (name === '.' || name === '..') throw new StorageError('INVALID_TOPIC_EXCEPTION', `topic name cannot be "${name}"`);
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new StorageError('INVALID_TOPIC_EXCEPTION', `topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  }
  if (!LEGAL.test(name)) {
    throw new StorageError('INVALID_TOPIC_EXCEPTION', `topic name "${name}" has characters outside [a-zA-Z0-9._-]`);
  }
}
