/**
 * Turns each stream record into keyed, exactly-once writes: customer data-quality counters and
 * duplicate groups for customer changes, for a new response the consequences the domain decides
 * (`consequencesOf`: aggregate cells, a follow-up, feedback counters), and for a new funnel event
 * its funnel cells (`funnelAdditions`). Records of other item types
 * (guards, markers, aggregates themselves) change nothing here; links to customers are settled
 * before (`stream-links.ts`).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { duplicateMembership, qualityDelta } from '../../domain/customers/quality';
import type { FollowUp } from '../../domain/followups/followup';
import { funnelAdditions } from '../../domain/surveys/aggregation';
import type { SurveyDisplay } from '../../domain/surveys/display';
import type { SurveyResponse } from '../../domain/surveys/response';
import { consequencesOf } from '../../domain/surveys/response-consequences';
import { PERSONAL_FOLLOW_UP_FIELDS } from '../../domain/surveys/response-erasure';
import { fromDisplayItem } from './dynamo-display-store';
import { toFollowUpItem } from './dynamo-followup-store';
import { fromResponseItem } from './dynamo-response-store';
import { aggregateKeys, arrivalKeys, displayShard, feedbackKeys, keys, markerIds, responseKeys } from './keys';
import type { RecordEffects } from './stream-applier';
import { customerChange, imagesOf } from './stream-records';

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
    return responseEffects(fromResponseItem(after), sequenceNumber);
  }
  if (record.eventName === 'INSERT' && after?.entity === 'display' && !before) {
    return [displayEffects(fromDisplayItem(after), sequenceNumber)];
  }
  return [];
}

/**
 * A funnel event adds to its day's funnel cells (whole survey and segment bucket), once, in the copy
 * of its display shard: the records of one display partition arrive through one stream shard, so each
 * copy has one writer at a time and the copies never conflict (readers sum them).
 */
export function displayEffects(display: SurveyDisplay, sequenceNumber: string): RecordEffects {
  const shard = displayShard(display.id);
  return {
    eventId: markerIds.displayEffects(display.surveyId, display.id, display.event),
    sequenceNumber,
    counters: funnelAdditions(display).map((cell) => ({
      key: aggregateKeys.item(display.surveyId, { ...cell, shard }),
      add: cell.counts,
    })),
    memberships: [],
  };
}

/** Two units, each applied once: the survey's aggregates (and follow-up), and the customer's feedback. */
export function responseEffects(response: SurveyResponse, sequenceNumber: string): RecordEffects[] {
  const { aggregates, arrivalHour, followUp, feedback } = consequencesOf(response);
  const units: RecordEffects[] = [
    {
      eventId: markerIds.responseEffects(response.surveyId, response.id),
      sequenceNumber,
      surveyId: response.surveyId,
      counters: [
        ...aggregates.map((cell) => ({ key: aggregateKeys.item(response.surveyId, cell), add: cell.counts })),
        {
          key: arrivalKeys.hour(response.surveyId, arrivalHour),
          add: { n: 1 },
          // A week is the baseline; a day more for the hour being compared.
          expiresAt: Math.floor(Date.parse(`${arrivalHour}:00:00Z`) / 1000) + 8 * 86_400,
        },
      ],
      memberships: [],
      // The stream carries the response as it was stored: if it has been erased since, the task is
      // opened without what erasure removed.
      creates: followUp
        ? [
            {
              item: toFollowUpItem(followUp),
              unlessErased: {
                key: responseKeys.response(response.surveyId, response.day, response.id),
                fallback: toFollowUpItem(withoutPersonalData(followUp)),
              },
            },
          ]
        : [],
    },
  ];
  if (feedback) {
    const key = feedbackKeys.item(feedback.customerId);
    units.push({
      eventId: markerIds.feedbackEffects(response.surveyId, response.id),
      sequenceNumber,
      counters: [{ key, add: feedback.add }],
      memberships: [],
      latest: feedback.latest ? [{ key, at: feedback.latest.at, set: feedback.latest.set }] : [],
      // Feedback counters exist only beside a live record: never re-created for a merged or erased one.
      requires: [
        { key: keys.customer(feedback.customerId), exists: true },
        { key: keys.erasure(feedback.customerId), exists: false },
      ],
    });
  }
  return units;
}

function withoutPersonalData(followUp: FollowUp): FollowUp {
  const stripped: FollowUp = { ...followUp };
  for (const field of PERSONAL_FOLLOW_UP_FIELDS) delete stripped[field];
  return stripped;
}
