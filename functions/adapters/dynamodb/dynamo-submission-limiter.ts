/**
 * The per-survey submission budget in DynamoDB: a counter per survey, minute and shard (the response
 * id picks the shard), incremented only while under the shard's share of the budget. The counters
 * expire after an hour.
 *
 * Leases: a function instance that keeps receiving answers for a survey takes several of a shard's
 * units with one write (`ADD n :k`, only while `n + k` stays within the share) and hands them out
 * from memory, so a busy survey pays a fraction of a write unit per answer for its budget instead of
 * one. The budget is never exceeded: every accepted answer spends a unit the counter already holds.
 * A lease starts at one unit and doubles each time one is used up within its minute, up to a
 * sixteenth of the shard's share (and at most 64): units leased but not spent before the minute ends
 * are lost to that minute only when the instance stopped getting answers, and near the limit a lease
 * that does not fit falls back to a single unit, so the last units of a minute are still handed out.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionLimiter, Take } from '../../domain/surveys/submission-limiter';
import { rethrow } from './errors';
import { LIMIT_SHARDS, limitKeys } from './keys';

/** Units a lease may hold at most, and the share of a shard's budget one instance may hold unspent. */
const MAX_LEASE = 64;
const LEASE_SHARE = 16;

/**
 * The shard's exact part of the budget: the parts add up to `perMinute` (a rounded-up share each would
 * let 8 shards take up to 7 more a minute, 8 for a budget of 1).
 */
const shareOf = (perMinute: number, shards: number, shard: number) =>
  Math.floor(perMinute / shards) + (shard < perMinute % shards ? 1 : 0);

interface Lease {
  /** Units taken from the counter and not handed out yet. */
  left: number;
  /** Units the next lease asks for. */
  next: number;
  /** The lease being taken now: answers arriving meanwhile wait for it rather than lease again. */
  refill?: Promise<boolean>;
}

export class DynamoSubmissionLimiter implements SubmissionLimiter {
  /** Per `<survey>#<shard>`, the lease of the minute in `minute`. */
  private readonly leases = new Map<string, Lease>();
  private minute = '';

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async take(surveyId: string, perMinute: number, spreadKey: string): Promise<Take> {
    const now = this.now();
    const minute = now.toISOString().slice(0, 16);
    if (minute !== this.minute) {
      // A new minute: last minute's units are of no use any more.
      this.leases.clear();
      this.minute = minute;
    }
    // A budget below the shard count uses one shard per unit: every shard in use has a part of at least one.
    const shards = Math.min(LIMIT_SHARDS, perMinute);
    const shard = (createHash('sha256').update(spreadKey).digest()[0] ?? 0) % shards;
    const id = `${surveyId}#${shard}`;
    const lease = this.leases.get(id) ?? { left: 0, next: 1 };
    this.leases.set(id, lease);
    // Concurrent answers (one process serving many, as the local runtime does) share one lease.
    for (;;) {
      if (lease.left > 0) {
        lease.left--;
        return { allowed: true };
      }
      if (!lease.refill) {
        lease.refill = this.refill(lease, surveyId, shard, minute, now, shareOf(perMinute, shards, shard)).finally(
          () => {
            lease.refill = undefined;
          },
        );
      }
      if (!(await lease.refill)) return { allowed: false, retryAfterSeconds: 60 - now.getUTCSeconds() };
    }
  }

  /** Takes the next block of units into the lease; false when not even one is left this minute. */
  private async refill(
    lease: Lease,
    surveyId: string,
    shard: number,
    minute: string,
    now: Date,
    cap: number,
  ): Promise<boolean> {
    const largest = Math.max(1, Math.min(MAX_LEASE, Math.floor(cap / LEASE_SHARE)));
    const size = Math.min(lease.next, largest);
    let units = size;
    let taken = await this.add(surveyId, shard, minute, now, size, cap);
    if (!taken && size > 1) {
      // Near the limit: the last units go one at a time.
      units = 1;
      taken = await this.add(surveyId, shard, minute, now, 1, cap);
    }
    if (!taken) return false;
    lease.left += units;
    lease.next = units === size ? Math.min(largest, size * 2) : 1;
    return true;
  }

  /** Adds `units` to the shard's counter if they fit within `cap`; false when they do not. */
  private async add(
    surveyId: string,
    shard: number,
    minute: string,
    now: Date,
    units: number,
    cap: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: limitKeys.item(surveyId, shard, minute),
          UpdateExpression: 'ADD n :units SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires)',
          ConditionExpression: 'attribute_not_exists(n) OR n <= :room',
          ExpressionAttributeValues: {
            ':units': units,
            ':entity': 'limit',
            ':expires': Math.floor(now.getTime() / 1000) + 3600,
            ':room': cap - units,
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      rethrow(err);
    }
  }
}
