/**
 * Keeps what is linked to a customer id pointing at a record that exists — applied by the stream
 * aggregator, after the commits that change links, never before:
 *
 * - a response's link (a new verified answer, or a relink) is confirmed, moved to the record its
 *   customer was merged into (following chains: A→B, then B→C), or dropped when no record stands for
 *   the id (unknown, erased, or being erased);
 * - a merge's tombstone (`CUSTOMER#<duplicate>` / `MERGED`) moves everything indexed under the
 *   duplicate to the survivor: linked responses (and their follow-ups), unverified claims, tombstones
 *   of earlier merges, kept Idempotency-Key outcomes. When the survivor is gone or being erased, what
 *   was the duplicate's is stripped instead (erasure covers merged-in data too).
 *
 * Every step is conditional on the state it read, so a redelivered or concurrent record changes
 * nothing twice; a move that races another merge fails its condition and is retried (transient).
 */
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';
import { followUpIdOf } from '../../domain/followups/followup-id';
import type { SurveyResponse } from '../../domain/surveys/response';
import type { DynamoFollowUpStore } from './dynamo-followup-store';
import { type DynamoResponseStore, fromResponseItem } from './dynamo-response-store';
import { rethrow } from './errors';
import { customerIndexPrefixes, customerPartition, keys, mergedIndexKeys, responseKeys } from './keys';
import { queryAll } from './query-all';
import { TransactionCancelled, transactWrite } from './transactions';

/** What a customer id stands for now. */
export type LinkTarget = { state: 'active' | 'erasing'; id: string } | { state: 'gone' };

/** Merges need both records, so chains end; the bound only guards against damaged data. */
const MAX_HOPS = 32;
const MAX_PASSES = 5;

const moved = () =>
  new ServiceUnavailableError('a customer was merged or erased while a link moved to them: the batch is retried', 1);

export class CustomerLinks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly responses: DynamoResponseStore,
    private readonly followUps: DynamoFollowUpStore,
  ) {}

  async resolve(id: string): Promise<LinkTarget> {
    let current = id;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': customerPartition(current) },
        ProjectionExpression: 'SK, mergedInto',
        ConsistentRead: true,
      });
      const bySk = new Map(items.map((item) => [String(item.SK), item]));
      const erasing = bySk.has(keys.erasure(current).SK);
      if (bySk.has(keys.customer(current).SK)) return { state: erasing ? 'erasing' : 'active', id: current };
      const mergedInto = bySk.get(keys.mergedCustomer(current).SK)?.mergedInto;
      if (typeof mergedInto !== 'string') return erasing ? { state: 'erasing', id: current } : { state: 'gone' };
      current = mergedInto;
    }
    return { state: 'gone' };
  }

  /**
   * A response whose link just changed (`inserted`: it was just stored; else it was moved): returns the
   * customer it ends up linked to. The follow-up it opened follows the response's link (a new
   * response's follow-up does not exist yet: its effects create it naming the settled customer).
   */
  async settle(response: SurveyResponse, inserted: boolean): Promise<string | undefined> {
    const from = response.customerId;
    if (!from) return undefined;
    const target = await this.resolve(from);
    const followUpId = followUpIdOf(response.surveyId, response.id);
    const hasFollowUp = response.facts.detractor && !inserted;
    if (target.state === 'active' && target.id === from) {
      if (hasFollowUp) await this.followUps.followResponse(followUpId, from);
      return from;
    }
    if (target.state === 'active') {
      // The move is a new change of the response: its own stream record settles the follow-up.
      await this.relink(response, from, target.id);
      return target.id;
    }
    if (hasFollowUp) await this.followUps.unlinkCustomer(followUpId, from);
    await this.unlink(response, from);
    return undefined;
  }

  /** After a merge committed: everything indexed under the duplicate goes to the survivor. */
  async followMerge(duplicateId: string): Promise<void> {
    const target = await this.resolve(duplicateId);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': customerPartition(duplicateId) },
      });
      if (items.length === 0) return;
      for (const item of items) await this.moveIndexed(item, duplicateId, target);
    }
  }

  private async moveIndexed(item: Record<string, unknown>, fromId: string, target: LinkTarget): Promise<void> {
    const sk = String(item.GSI1SK);
    const keep = target.state === 'active';
    if (sk.startsWith(customerIndexPrefixes.response) || sk.startsWith(customerIndexPrefixes.claim)) {
      const response = fromResponseItem(item);
      if (!keep) {
        // The survivor is erased or being erased: what was merged into them is erased as well.
        if (response.facts.detractor) await this.followUps.redact(followUpIdOf(response.surveyId, response.id));
        await this.responses.redact(response);
      } else if (sk.startsWith(customerIndexPrefixes.claim)) await this.setIndexPartition(item, fromId, target.id);
      else if (response.customerId === fromId) await this.relink(response, fromId, target.id);
      return;
    }
    if (sk.startsWith(customerIndexPrefixes.merged)) {
      const mergedId = sk.slice(customerIndexPrefixes.merged.length);
      if (!keep) return this.deleteIf(keys.mergedCustomer(mergedId), 'mergedInto = :from', fromId);
      return this.update(
        keys.mergedCustomer(mergedId),
        'SET mergedInto = :to, GSI1PK = :pk, GSI1SK = :sk',
        'mergedInto = :from',
        { ':to': target.id, ...prefixed(mergedIndexKeys(target.id, mergedId)), ':from': fromId },
      );
    }
    // Kept outcomes and anything else indexed under the person: re-filed under the survivor, or gone.
    const key = { PK: String(item.PK), SK: String(item.SK) };
    if (!keep) return this.deleteIf(key, 'GSI1PK = :from', customerPartition(fromId));
    return this.setIndexPartition(item, fromId, target.id);
  }

  private setIndexPartition(item: Record<string, unknown>, fromId: string, toId: string) {
    return this.update({ PK: String(item.PK), SK: String(item.SK) }, 'SET GSI1PK = :to', 'GSI1PK = :from', {
      ':to': customerPartition(toId),
      ':from': customerPartition(fromId),
    });
  }

  /** Moves a response's link, only while it names `fromId` and while `toId` is a live record. */
  private async relink(response: SurveyResponse, fromId: string, toId: string): Promise<void> {
    const index = responseKeys.byCustomer(toId, response.receivedAt, response.id);
    try {
      await transactWrite(this.db, [
        {
          Update: {
            TableName: this.tableName,
            Key: responseKeys.response(response.surveyId, response.day, response.id),
            UpdateExpression: 'SET customerId = :to, GSI1PK = :pk, GSI1SK = :sk',
            ConditionExpression: 'customerId = :from',
            ExpressionAttributeValues: { ':to': toId, ':from': fromId, ':pk': index.GSI1PK, ':sk': index.GSI1SK },
          },
        },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.customer(toId),
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.erasure(toId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      // Moved by someone else already: nothing to do. The survivor changed meanwhile: try again later.
      if (err.failed(0)) return;
      throw moved();
    }
  }

  private async unlink(response: SurveyResponse, fromId: string): Promise<void> {
    await this.update(
      responseKeys.response(response.surveyId, response.day, response.id),
      'REMOVE customerId, GSI1PK, GSI1SK',
      'customerId = :from',
      { ':from': fromId },
    );
  }

  private async deleteIf(key: { PK: string; SK: string }, condition: string, from: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':from': from },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
  }

  private async update(
    key: { PK: string; SK: string },
    expression: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      // The condition names the state this step expects: failing it means the step is done already.
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
  }
}

const prefixed = (index: { GSI1PK: string; GSI1SK: string }) => ({ ':pk': index.GSI1PK, ':sk': index.GSI1SK });
