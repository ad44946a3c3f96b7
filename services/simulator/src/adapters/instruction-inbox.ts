import type { ChannelModel, Channel } from 'amqplib';
import { QUEUES, RiderInstructionSchema, RosterCallInSchema, RosterShiftSchema, type RiderInstruction, type RosterCallIn, type RosterShift } from '@riderflow/contracts';
import { connectAmqp, consumeValidated, declareTopology } from '@riderflow/service-kit';

export type InboxItem = RiderInstruction | RosterCallIn | RosterShift;

/**
 * The riders' app: consumes `rider.instructions` and queues each valid instruction for the
 * simulation loop, which applies it at the current simulated time. Invalid instructions are set
 * aside to the dead-letter exchange by consumeValidated and never reach a rider.
 * It is also the operations office: call-ins (`roster.call_ins`) and shift bookings
 * (`roster.shifts`) from rostering arrive in the same ordered stream, so the loop applies them at
 * the simulated time they are taken.
 */
export class InstructionInbox {
  private readonly items: InboxItem[] = [];
  received = 0;
  callInsReceived = 0;
  shiftBookingsReceived = 0;
  deadLettered = 0;
  /** The last error amqplib reported; handed to close listeners (the 'close' event that follows carries none for a channel). */
  private lastError: Error | undefined;
  private closing = false;
  private constructor(private readonly conn: ChannelModel, private readonly channel: Channel) {
    // amqplib rethrows 'error' events nobody listens to, which would crash the simulator; the
    // 'close' that follows reaches onClose listeners, and the run stops with the reason.
    conn.on('error', (err: Error) => { this.lastError = err; });
    channel.on('error', (err: Error) => { this.lastError = err; });
  }

  static async open(url: string, timeoutMs: number): Promise<InstructionInbox> {
    const conn = await connectAmqp({ amqpUrl: url }, { timeoutMs, connectionName: 'simulator' });
    conn.on('error', () => {}); // until the inbox takes over (a failed declare must not crash)
    try {
      const channel = await conn.createChannel();
      channel.on('error', () => {});
      await declareTopology(channel);
      const inbox = new InstructionInbox(conn, channel);
      // A deleted queue cancels its consumer: the run stops naming that, not a lost connection.
      const onCancelled = (queue: string) => {
        inbox.lastError = new Error(`the broker cancelled the consumer of ${queue} (was the queue deleted?)`);
        channel.close().catch(() => { /* closed already */ });
      };
      await consumeValidated(channel, QUEUES.riderInstructions, RiderInstructionSchema, (task) => {
        inbox.received++;
        inbox.items.push(task);
      }, { prefetch: 1000, onDeadLetter: () => { inbox.deadLettered++; }, onCancelled });
      await consumeValidated(channel, QUEUES.rosterCallIns, RosterCallInSchema, (task) => {
        inbox.callInsReceived++;
        inbox.items.push(task);
      }, { prefetch: 1000, onDeadLetter: () => { inbox.deadLettered++; }, onCancelled });
      await consumeValidated(channel, QUEUES.rosterShifts, RosterShiftSchema, (task) => {
        inbox.shiftBookingsReceived++;
        inbox.items.push(task);
      }, { prefetch: 1000, onDeadLetter: () => { inbox.deadLettered++; }, onCancelled });
      return inbox;
    } catch (err) {
      await conn.close().catch(() => {});
      throw err;
    }
  }

  /** Everything received since the last call, in arrival order. */
  take(): InboxItem[] {
    return this.items.splice(0, this.items.length);
  }

  /** Called when the connection or the instruction channel closes (no instructions would arrive any more). */
  onClose(listener: (err?: Error) => void): void {
    let called = false;
    const once = (err?: Error) => {
      if (this.closing || called) return;
      called = true;
      listener(err ?? this.lastError);
    };
    this.conn.on('close', once);
    this.channel.on('close', () => once());
  }

  async close(): Promise<void> {
    this.closing = true;
    this.conn.removeAllListeners('close');
    this.channel.removeAllListeners('close');
    await this.conn.close().catch(() => {});
  }
}
