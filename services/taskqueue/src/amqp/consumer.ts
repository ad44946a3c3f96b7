// The ConsumerSink a channel hands to the broker core for each basic.consume. Prefetch lives here
// and in the channel: per-consumer limit (basic.qos global=false, as RabbitMQ reads it) and the
// channel-wide limit (global=true), plus channel.flow and socket back-pressure.
import type { ConsumerSink, Delivery, FieldTable } from '../broker/contract.js';
import type { Channel } from './channel.js';

export class Consumer implements ConsumerSink {
  /** deliveries not yet acknowledged (only counted for ack-mode consumers) */
  unacked = 0;
  /** consume-ok is on the wire; until then the core must not deliver */
  ready = false;
  /** canAccept() said no since the last pump: the channel must pump the queue when room appears */
  starved = false;
  cancelled = false;
  /** basic.consume's exclusive flag and arguments, as the management API lists them */
  exclusive = false;
  arguments: FieldTable = {};

  constructor(
    private readonly channel: Channel,
    readonly tag: string,
    readonly queue: string,
    readonly noAck: boolean,
    /** basic.qos prefetch-count in force (global=false) when this consumer was created; 0 = unlimited */
    readonly prefetch: number,
    /** basic.consume x-priority (RabbitMQ consumer priorities); 0 when absent */
    readonly priority = 0,
  ) {}

  get connectionId(): string {
    return this.channel.connectionId;
  }

  canAccept(): boolean {
    const ok = this.ready && !this.cancelled && this.hasRoom();
    if (!ok) this.starved = true;
    return ok;
  }

  hasRoom(): boolean {
    if (!this.channel.canDeliver()) return false;
    if (this.noAck) return true;
    if (this.prefetch > 0 && this.unacked >= this.prefetch) return false;
    return this.channel.hasGlobalRoom();
  }

  deliver(delivery: Delivery): void {
    this.channel.deliver(this, delivery);
  }

  cancelledByServer(): void {
    this.channel.consumerCancelledByServer(this);
  }
}
