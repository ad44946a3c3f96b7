// Publisher confirms for one channel. Messages settle in any order (fsync batches, rejects), but
// basic.ack / basic.nack go out in sequence order, with `multiple` covering each run of equal
// outcomes, once per event-loop turn — so a window of 1,000 publishes costs a handful of frames.
export type ConfirmSender = (deliveryTag: number, multiple: boolean, ack: boolean) => void;

export class PublisherConfirms {
  /** sequence number of the last published message (delivery tags of confirms start at 1) */
  private seq = 0;
  private nextToSend = 1;
  private readonly settled = new Map<number, boolean>();
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly send: ConfirmSender,
    private readonly afterFlush: () => void,
  ) {}

  /** published and not yet confirmed (RabbitMQ's messages_unconfirmed) */
  get unconfirmed(): number {
    return this.seq - this.nextToSend + 1;
  }

  next(): number {
    return ++this.seq;
  }

  settle(seq: number, ack: boolean): void {
    if (this.closed) return;
    this.settled.set(seq, ack);
    if (seq !== this.nextToSend || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  close(): void {
    this.closed = true;
    this.settled.clear();
  }

  flush(): void {
    this.scheduled = false;
    if (this.closed) return;
    let sent = false;
    for (;;) {
      const first = this.settled.get(this.nextToSend);
      if (first === undefined) break;
      let last = this.nextToSend;
      this.settled.delete(last);
      while (this.settled.get(last + 1) === first) {
        last++;
        this.settled.delete(last);
      }
      this.send(last, last > this.nextToSend, first);
      this.nextToSend = last + 1;
      sent = true;
    }
    if (sent) this.afterFlush();
  }
}
