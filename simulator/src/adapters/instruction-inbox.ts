import type { ChannelModel, Channel } from 'amqplib';
import { connectAmqp, consumeValidated, declareTopology, QUEUES, RiderInstructionSchema, type RiderInstruction } from '@riderflow/contracts';

/**
 * The riders' app: consumes `rider.instructions` and queues each valid instruction for the
 * simulation loop, which applies it at the current simulated time. Invalid instructions are set
 * aside to the dead-letter exchange by consumeValidated and never reach a rider.
 */
export class InstructionInbox {
  private readonly items: RiderInstruction[] = [];
  received = 0;
  deadLettered = 0;
  private constructor(private readonly conn: ChannelModel, private readonly channel: Channel) {}

  static async open(url: string, timeoutMs: number): Promise<InstructionInbox> {
    const conn = await connectAmqp({ amqpUrl: url }, { timeoutMs, connectionName: 'simulator' });
    try {
      const channel = await conn.createChannel();
      await declareTopology(channel);
      const inbox = new InstructionInbox(conn, channel);
      await consumeValidated(channel, QUEUES.riderInstructions, RiderInstructionSchema, (task) => {
        inbox.received++;
        inbox.items.push(task);
      }, { prefetch: 1000, onDeadLetter: () => { inbox.deadLettered++; } });
      return inbox;
    } catch (err) {
      await conn.close().catch(() => {});
      throw err;
    }
  }

  /** Everything received since the last call, in arrival order. */
  take(): RiderInstruction[] {
    return this.items.splice(0, this.items.length);
  }

  onClose(listener: (err?: Error) => void): void {
    this.conn.on('close', listener);
  }

  async close(): Promise<void> {
    this.conn.removeAllListeners('close');
    await this.conn.close().catch(() => {});
  }
}
