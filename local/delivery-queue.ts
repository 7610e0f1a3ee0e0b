/**
 * The local stand-in for the webhook delivery queue (SQS in AWS), with SQS's semantics where the
 * sender depends on them: per-message delay (at most 15 minutes), a visibility timeout while a
 * message is being handled, a receive count, partial batch failures (reportBatchItemFailures), and
 * after `maxReceives` receives the message moves to a dead-letter list (and file) instead.
 *
 * Why not an SQS emulator from npm: the ones there need a JVM or Docker (ElasticMQ) or implement the
 * HTTP API without redrive policies; the sender needs only `send` and Lambda's batch loop, and this
 * is those in ~150 lines the tests exercise (docs/webhooks.md "Running locally").
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type DeliveryMessage,
  type DeliveryQueue,
  MAX_QUEUE_DELAY_MS,
} from '../functions/domain/webhooks/delivery-ports';
import { describeError } from './errors';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface LocalQueueOptions {
  /** How long a received message stays invisible (SQS: the queue's visibility timeout). */
  readonly visibilityTimeoutMs?: number;
  /** Receives before a message is dead-lettered (SQS: the redrive policy's maxReceiveCount). */
  readonly maxReceives?: number;
  readonly batchSize?: number;
  /** Batches handled at once (Lambda runs several invocations of the sender side by side). */
  readonly concurrency?: number;
  readonly pollIntervalMs?: number;
  /** JSON-lines file of dead-lettered messages; null = kept in memory only. */
  readonly deadLetterFile?: string | null;
  readonly quiet?: boolean;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
}

export interface QueueStats {
  sent: number;
  received: number;
  deleted: number;
  deadLettered: number;
  lastError: string | undefined;
}

export class LocalDeliveryQueue implements DeliveryQueue {
  readonly stats: QueueStats = { sent: 0, received: 0, deleted: 0, deadLettered: 0, lastError: undefined };
  readonly deadLetters: { body: string; receiveCount: number }[] = [];
  private readonly messages = new Map<string, StoredMessage>();
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceives: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: LocalQueueOptions = {}) {
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 180_000;
    this.maxReceives = options.maxReceives ?? 5;
    this.batchSize = options.batchSize ?? 10;
    this.concurrency = options.concurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
  }

  async send(message: DeliveryMessage, delayMs: number): Promise<void> {
    if (this.stopped) throw new Error('the local delivery queue is stopped');
    const now = Date.now();
    const id = randomUUID();
    const delay = Math.min(MAX_QUEUE_DELAY_MS, Math.max(0, delayMs));
    this.messages.set(id, { id, body: JSON.stringify(message), sentAt: now, visibleAt: now + delay, receiveCount: 0 });
    this.stats.sent++;
    if (delay === 0) this.wake?.();
  }

  /** Messages waiting or in flight. */
  get size(): number {
    return this.messages.size;
  }

  /** Starts handing batches to `handler` the way Lambda's SQS event source mapping does. */
  start(handler: QueueHandler): void {
    this.loop ??= this.run(handler);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private receive(): StoredMessage[] {
    const now = Date.now();
    const batch: StoredMessage[] = [];
    for (const message of this.messages.values()) {
      if (batch.length >= this.batchSize) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.maxReceives) {
        this.messages.delete(message.id);
        void this.deadLetter(message);
        continue;
      }
      message.receiveCount++;
      message.visibleAt = now + this.visibilityTimeoutMs;
      batch.push(message);
    }
    this.stats.received += batch.length;
    return batch;
  }

  private async deadLetter(message: StoredMessage): Promise<void> {
    this.stats.deadLettered++;
    this.deadLetters.push({ body: message.body, receiveCount: message.receiveCount });
    if (!this.options.quiet)
      console.log(`[webhooks] a queue message was dead-lettered after ${message.receiveCount} receives`);
    if (this.options.deadLetterFile) {
      const line = JSON.stringify({
        at: new Date().toISOString(),
        receiveCount: message.receiveCount,
        body: message.body,
      });
      await appendFile(this.options.deadLetterFile, `${line}\n`).catch(() => undefined);
    }
  }

  private async invoke(handler: QueueHandler, batch: StoredMessage[]): Promise<void> {
    const failed = new Set<string>();
    try {
      const result = await handler({ Records: batch.map(toRecord) });
      for (const f of result?.batchItemFailures ?? []) failed.add(f.itemIdentifier);
    } catch (error) {
      // A thrown invocation fails the whole batch: every message comes back after its timeout.
      this.stats.lastError = describeError(error);
      for (const m of batch) failed.add(m.id);
    }
    for (const m of batch) {
      if (failed.has(m.id)) continue;
      this.messages.delete(m.id);
      this.stats.deleted++;
    }
  }

  private async run(handler: QueueHandler): Promise<void> {
    while (!this.stopped) {
      if (this.inFlight.size >= this.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      const batch = this.receive();
      if (batch.length > 0) {
        const running: Promise<void> = this.invoke(handler, batch).finally(() => this.inFlight.delete(running));
        this.inFlight.add(running);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.nextWakeMs());
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
    await Promise.all(this.inFlight);
  }

  private nextWakeMs(): number {
    const now = Date.now();
    let next = this.pollIntervalMs;
    for (const m of this.messages.values()) next = Math.min(next, Math.max(1, m.visibleAt - now));
    return next;
  }
}

function toRecord(m: StoredMessage): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: m.id,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(m.sentAt),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:rapport-webhook-deliveries',
    awsRegion: 'local',
  };
}
