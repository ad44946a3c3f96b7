import { randomUUID } from 'node:crypto';
import type { NotificationChannel } from '@riderflow/contracts';

export interface SendRequest {
  idempotencyKey: string;
  notificationId: string;
  recipient: string;
  template: string;
  data: Record<string, unknown>;
}

export interface SendReceipt {
  providerMessageId: string;
  /** True when the provider had already accepted this idempotency key and sent nothing now. */
  deduplicated: boolean;
}

/** What a provider actually delivered: one entry per real send (the record tests count). */
export interface SentRecord {
  providerMessageId: string;
  idempotencyKey: string;
  notificationId: string;
  recipient: string;
  at: number;
}

export interface Provider {
  readonly channel: NotificationChannel;
  send(request: SendRequest): Promise<SendReceipt>;
}

export class ProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface SimulatedProviderOptions {
  latencyMs?: number;
  /** Probability in [0, 1] that a request fails before anything is sent. */
  failureRate?: number;
  random?: () => number;
  /** Called after a real send is recorded (tests use it to crash a worker at exactly that point). */
  onSent?(record: SentRecord): void;
}

/**
 * A simulated email/SMS/push/webhook provider. Like real providers that accept an idempotency
 * key (Stripe, Twilio's I-Twilio-Idempotency-Token, most webhook relays), it remembers the keys it
 * accepted and answers a repeated key with the original message id without sending again. A
 * failure happens before anything is sent, so a failed request can be retried safely.
 */
export class SimulatedProvider implements Provider {
  readonly sent: SentRecord[] = [];
  private readonly byKey = new Map<string, SentRecord>();
  deduplicated = 0;
  failures = 0;

  constructor(readonly channel: NotificationChannel, private readonly options: SimulatedProviderOptions = {}) {}

  async send(request: SendRequest): Promise<SendReceipt> {
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const previous = this.byKey.get(request.idempotencyKey);
    if (previous) {
      this.deduplicated++;
      return { providerMessageId: previous.providerMessageId, deduplicated: true };
    }
    if ((this.options.random ?? Math.random)() < (this.options.failureRate ?? 0)) {
      this.failures++;
      throw new ProviderError(`${this.channel} provider unavailable (simulated)`);
    }
    const record: SentRecord = {
      providerMessageId: `${this.channel}-${randomUUID()}`,
      idempotencyKey: request.idempotencyKey,
      notificationId: request.notificationId,
      recipient: request.recipient,
      at: Date.now(),
    };
    this.byKey.set(request.idempotencyKey, record);
    this.sent.push(record);
    this.options.onSent?.(record);
    return { providerMessageId: record.providerMessageId, deduplicated: false };
  }
}

export type ProviderSet = Record<NotificationChannel, Provider>;

export function simulatedProviders(options: SimulatedProviderOptions = {}): Record<NotificationChannel, SimulatedProvider> {
  return {
    email: new SimulatedProvider('email', options),
    sms: new SimulatedProvider('sms', options),
    push: new SimulatedProvider('push', options),
    webhook: new SimulatedProvider('webhook', options),
  };
}
