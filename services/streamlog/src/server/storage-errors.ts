import type { Logger } from 'pino';
import { StorageError } from '../storage/contract.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** Kafka error code for an engine failure; anything unexpected is logged and reported as UNKNOWN_SERVER_ERROR. */
export function errorCodeOf(err: unknown, log: Logger, context: Record<string, unknown>): number {
  if (err instanceof StorageError || (err instanceof Error && typeof (err as StorageError).kafkaError === 'string')) {
    const code = (ErrorCode as Record<string, number>)[(err as StorageError).kafkaError];
    if (code !== undefined) return code;
  }
  log.error({ err, ...context }, 'unexpected storage failure');
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
