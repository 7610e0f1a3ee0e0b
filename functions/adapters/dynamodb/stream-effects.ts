/**
 * Decides what each stream record changes in the derived data: customer data-quality counters and
 * duplicate groups, survey aggregates, follow-up tasks for detractors, and a customer's feedback
 * counters. Records of other item types (guards, markers, aggregates themselves) change nothing.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { duplicateMembership, qualityDelta } from '../../domain/customers/quality';
import type { FollowUp } from '../../domain/followups/followup';
import { followUpIdOf } from '../../domain/followups/followup-id';
import { aggregateAdditions, aggregatePartition, normalisedScore } from '../../domain/surveys/aggregation';
import type { SurveyResponse } from '../../domain/surveys/response';
import { toFollowUpItem } from './dynamo-followup-store';
import { fromResponseItem } from './dynamo-response-store';
import { feedbackKeys, keys } from './keys';
import type { RecordEffects } from './stream-applier';
import { customerChange, imagesOf } from './stream-records';

/**
 * Idempotency id of a response's aggregate effects: shared by the stream aggregator and the aggregate
 * rebuild (which marks responses it has counted, so the stream never counts them again).
 */
export const responseEffectsId = (surveyId: string, responseId: string) => `RESP#${surveyId}#${responseId}`;
/** Idempotency id of a response's effects on its customer (feedback counters): the stream's alone. */
export const feedbackEffectsId = (surveyId: string, responseId: string) => `FB#${surveyId}#${responseId}`;

export function effectsOf(record: DynamoDBRecord): RecordEffects[] {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!record.eventID || !sequenceNumber) return [];
  const base = { eventId: record.eventID, sequenceNumber };

  const change = customerChange(record);
  if (change) {
    const delta = qualityDelta(change.before, change.after);
    const membership = duplicateMembership(change.id, change.before, change.after);
    return [
      {
        ...base,
        counters: Object.keys(delta).length ? [{ key: keys.customerQuality(), add: delta }] : [],
        memberships: membership ? [membership] : [],
      },
    ];
  }

  const { before, after } = imagesOf(record);
  if (record.eventName === 'INSERT' && after?.entity === 'response' && !before) {
    const response = fromResponseItem(after);
    return responseEffects(response, sequenceNumber);
  }
  return [];
}

/** Two units, each applied once: the survey's aggregates (and follow-up), and the customer's feedback. */
export function responseEffects(response: SurveyResponse, sequenceNumber: string): RecordEffects[] {
  const partition = aggregatePartition(response.surveyId);
  const counters: RecordEffects['counters'] = aggregateAdditions(response.facts, response.day).map((a) => ({
    key: { PK: partition, SK: a.sortKey },
    add: a.add,
  }));
  const creates: Record<string, unknown>[] = [];
  const units: RecordEffects[] = [];
  if (response.customerId) {
    const score = response.facts.score;
    units.push({
      eventId: feedbackEffectsId(response.surveyId, response.id),
      sequenceNumber,
      counters: [
        {
          key: feedbackKeys.item(response.customerId),
          add: { feedbackCount: 1, ...(score ? { scoredCount: 1, scoreSum: normalisedScore(score) } : {}) },
        },
      ],
      memberships: [],
      latest: score
        ? [
            {
              key: feedbackKeys.item(response.customerId),
              at: response.receivedAt,
              set: { lastScore: score, lastSurveyId: response.surveyId, lastResponseId: response.id },
            },
          ]
        : [],
    });
  }
  if (response.facts.detractor) {
    const comment = response.facts.textIds.map((id) => response.answers[id]).find((a) => typeof a === 'string');
    const followUp: FollowUp = {
      id: followUpIdOf(response.surveyId, response.id),
      surveyId: response.surveyId,
      responseId: response.id,
      responseDay: response.day,
      ...(response.customerId ? { customerId: response.customerId } : {}),
      ...(response.facts.score ? { score: response.facts.score } : {}),
      ...(typeof comment === 'string' ? { comment } : {}),
      status: 'open',
      revision: 1,
      createdAt: response.receivedAt,
      updatedAt: response.receivedAt,
    };
    creates.push(toFollowUpItem(followUp));
  }
  return [
    { eventId: responseEffectsId(response.surveyId, response.id), sequenceNumber, counters, memberships: [], creates },
    ...units,
  ];
}
