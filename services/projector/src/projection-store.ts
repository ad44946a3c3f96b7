// The projector's database adapter: one transaction per batch, a handful of statements per
// batch (reads with IN lists, createMany for new rows, one update per changed entity), never one
// round trip per event.
import type { LogEvent } from '@riderflow/contracts';
import type { PrismaClient } from '@riderflow/db';
import { projectBatch, tracksEventId, type BatchState, type OrderRow, type RiderRow, type ShiftRow } from './projection.js';

export interface PositionedEvent { event: LogEvent; topic: string; partition: number; offset: string }

export interface ApplyResult { applied: number; skipped: number; orphans: number }

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export async function applyBatch(prisma: PrismaClient, batch: PositionedEvent[]): Promise<ApplyResult> {
  if (batch.length === 0) return { applied: 0, skipped: 0, orphans: 0 };
  return prisma.$transaction(async (tx: Tx) => {
    // Take the write lock first. SQLite's transactions start as readers; one that reads and then
    // writes fails with "database is locked" if another process wrote meanwhile, and no busy
    // timeout can save it. Starting with a write makes it wait its turn instead. (A no-op on
    // PostgreSQL.)
    await tx.$executeRawUnsafe('DELETE FROM "ProcessedEvent" WHERE 1 = 0');
    const tracked = batch.filter((b) => tracksEventId(b.event));
    const done = tracked.length
      ? new Set((await tx.processedEvent.findMany({ where: { eventId: { in: tracked.map((b) => b.event.id) } }, select: { eventId: true } })).map((r) => r.eventId))
      : new Set<string>();
    // A batch may itself repeat an event (a producer retry): keep the first.
    const seen = new Set<string>();
    const fresh = batch.filter((b) => {
      if (!tracksEventId(b.event)) return true;
      if (done.has(b.event.id) || seen.has(b.event.id)) return false;
      seen.add(b.event.id);
      return true;
    });
    const events = fresh.map((b) => b.event);

    const orderIds = new Set<string>();
    const riderIds = new Set<string>();
    for (const e of events) {
      if ('orderId' in e && e.type.startsWith('order.')) orderIds.add(e.orderId);
      if ('riderId' in e && (e.type.startsWith('rider.') || e.type === 'dispatch.assigned')) riderIds.add(e.riderId);
    }
    const state: BatchState = { orders: new Map(), riders: new Map(), openShifts: new Map() };
    if (orderIds.size) for (const o of await tx.order.findMany({ where: { id: { in: [...orderIds] } } })) state.orders.set(o.id, o as OrderRow);
    if (riderIds.size) {
      for (const r of await tx.rider.findMany({ where: { id: { in: [...riderIds] } } })) state.riders.set(r.id, r as RiderRow);
      const open = await tx.shift.findMany({ where: { riderId: { in: [...riderIds] }, endedAt: null }, orderBy: { startedAt: 'asc' } });
      for (const s of open) state.openShifts.set(s.riderId, s as ShiftRow);
    }
    const changes = projectBatch(state, events);

    // Rows read from the database carry updatedAt, which Prisma maintains itself.
    const strip = <T extends object>(row: T): T => { const { updatedAt: _u, ...rest } = row as T & { updatedAt?: unknown }; return rest as T; };
    if (changes.riders.created.length) await tx.rider.createMany({ data: changes.riders.created.map(strip) });
    for (const r of changes.riders.updated) await tx.rider.update({ where: { id: r.id }, data: strip(r) });
    if (changes.orders.created.length) await tx.order.createMany({ data: changes.orders.created.map(strip) });
    for (const o of changes.orders.updated) await tx.order.update({ where: { id: o.id }, data: strip(o) });
    if (changes.shifts.created.length) await tx.shift.createMany({ data: changes.shifts.created });
    for (const s of changes.shifts.ended) await tx.shift.update({ where: { id: s.id }, data: { endedAt: s.endedAt } });
    if (changes.assignments.length) {
      const existing = new Set((await tx.assignment.findMany({ where: { id: { in: changes.assignments.map((a) => a.id) } }, select: { id: true } })).map((a) => a.id));
      const rows = changes.assignments.filter((a) => !existing.has(a.id));
      if (rows.length) await tx.assignment.createMany({ data: rows });
    }
    if (changes.rosterPlans.length) {
      const existing = new Set((await tx.rosterPlan.findMany({ where: { id: { in: changes.rosterPlans.map((p) => p.id) } }, select: { id: true } })).map((p) => p.id));
      const rows = changes.rosterPlans.filter((p) => !existing.has(p.id));
      if (rows.length) await tx.rosterPlan.createMany({ data: rows });
    }
    const processed = fresh.filter((b) => tracksEventId(b.event));
    if (processed.length) {
      await tx.processedEvent.createMany({
        data: processed.map((b) => ({ eventId: b.event.id, topic: b.topic, partition: b.partition, offset: b.offset })),
      });
    }
    return { applied: fresh.length, skipped: batch.length - fresh.length, orphans: changes.orphans };
  }, { timeout: 60_000, maxWait: 30_000 });
}
