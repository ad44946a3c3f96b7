import type { NotificationTask } from '@riderflow/contracts';
import type { PrismaClient } from '@riderflow/db';
import type { ClaimOutcome } from './core/delivery.js';

export type { ClaimOutcome };

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}

/**
 * The notifications table as the notifier's ledger. The unique idempotencyKey and conditional
 * updates make the claim atomic in the database, so two workers can never both hold a key:
 * - first sight: INSERT with status "sending" (a concurrent second INSERT fails on the unique key);
 * - later attempts: UPDATE … WHERE status IN (pending, failed) OR (status = sending AND the claim's
 *   lease has expired), so exactly one worker's update matches.
 * A claim left by a worker that died is taken over only after `leaseMs`.
 */
export class NotificationLedger {
  constructor(private readonly prisma: PrismaClient, private readonly leaseMs: number) {}

  async claim(task: NotificationTask, attempt: number, workerId: string): Promise<ClaimOutcome> {
    const now = new Date();
    try {
      await this.prisma.notification.create({
        data: {
          id: task.notificationId,
          idempotencyKey: task.idempotencyKey,
          audience: task.audience,
          channel: task.channel,
          recipient: task.recipient,
          template: task.template,
          status: 'sending',
          attempts: attempt,
          claimedBy: workerId,
          claimedAt: now,
        },
      });
      return { kind: 'claimed', takeover: false };
    } catch (err) {
      // A unique violation on id with a different key is a producer bug; it surfaces below as
      // a failed claim of a key that does not exist and ends in dead letters.
      if (!isUniqueViolation(err)) throw err;
    }
    const { count } = await this.prisma.notification.updateMany({
      where: {
        idempotencyKey: task.idempotencyKey,
        OR: [{ status: { in: ['pending', 'failed'] } }, { status: 'sending', claimedAt: { lt: new Date(now.getTime() - this.leaseMs) } }],
      },
      data: { status: 'sending', attempts: attempt, claimedBy: workerId, claimedAt: now },
    });
    if (count === 1) return { kind: 'claimed', takeover: true };
    const row = await this.prisma.notification.findUnique({ where: { idempotencyKey: task.idempotencyKey }, select: { status: true, attempts: true } });
    if (!row) throw new Error(`notification id ${task.notificationId} already exists under another idempotency key`);
    if (row.status === 'sent') return { kind: 'already_sent', attempts: row.attempts };
    if (row.status === 'dead_lettered') return { kind: 'already_dead', attempts: row.attempts };
    return { kind: 'busy' };
  }

  /**
   * An operator redrove a dead-lettered task: reopen its key for one worker (the conditional update
   * lets exactly one win), with its attempts starting again. Returns whether this worker won.
   */
  async reopenDead(idempotencyKey: string, workerId: string): Promise<boolean> {
    const { count } = await this.prisma.notification.updateMany({
      where: { idempotencyKey, status: 'dead_lettered' },
      data: { status: 'sending', attempts: 1, claimedBy: workerId, claimedAt: new Date() },
    });
    return count === 1;
  }

  async markSent(idempotencyKey: string, attempt: number, providerMessageId: string): Promise<void> {
    await this.prisma.notification.update({
      where: { idempotencyKey },
      data: { status: 'sent', attempts: attempt, providerMessageId, sentAt: new Date(), lastError: null },
    });
  }

  /**
   * Records a failed attempt, only while this worker still holds the claim: if its lease ran out
   * and another worker took the key over (and perhaps sent it), this worker must neither retry
   * nor dead-letter it. Returns whether the failure was recorded.
   */
  async markFailed(idempotencyKey: string, workerId: string, attempt: number, error: string, final: boolean): Promise<boolean> {
    const { count } = await this.prisma.notification.updateMany({
      where: { idempotencyKey, status: 'sending', claimedBy: workerId },
      data: { status: final ? 'dead_lettered' : 'failed', attempts: attempt, lastError: error, claimedBy: null, claimedAt: null },
    });
    return count === 1;
  }
}
