/**
 * The lifecycle of a person's data across records: GDPR access and erasure, and moving a merged
 * duplicate's responses to the record that absorbed it.
 *
 * GDPR: give a person everything Rapport holds about them, and erase them. Erasure keeps survey
 * responses for the statistics (aggregates do not change) but unlinks them and strips contact data;
 * the record, its uniqueness guards and its feedback counters are removed. The record goes first (so
 * nothing new links to it), then the responses are unlinked; an interrupted erasure is finished by
 * calling it again.
 */

import { NotFoundError } from '../errors';
import type { FollowUp } from '../followups/followup';
import { followUpIdOf } from '../followups/followup-id';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock } from '../ports';
import type { SurveyResponse } from '../surveys/response';
import type { ResponseStore } from '../surveys/response-store';
import type { Customer } from './customer';
import type { CustomerStore } from './customer-store';
import type { CustomerFeedback, FeedbackStore } from './feedback';

export interface PrivacyDeps {
  customers: CustomerStore;
  responses: ResponseStore;
  followUps: Pick<FollowUpStore, 'get' | 'unlinkCustomer' | 'relinkCustomer'>;
  feedback: FeedbackStore;
  clock: Clock;
  /** Other records that may hold the customer's data (kept Idempotency-Key outcomes). */
  otherRecords?: { forgetCustomer(customerId: string): Promise<number> };
}

export interface PersonalDataExport {
  exportedAt: string;
  customer: Customer;
  feedback: CustomerFeedback;
  responses: SurveyResponse[];
  followUps: FollowUp[];
}

const PAGE = 100;

export class PrivacyService {
  constructor(private readonly deps: PrivacyDeps) {}

  async export(customerId: string): Promise<PersonalDataExport> {
    const customer = await this.deps.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
    const responses = await this.allResponses(customerId);
    const followUps = (
      await Promise.all(
        responses.filter((r) => r.facts.detractor).map((r) => this.deps.followUps.get(followUpIdOf(r.surveyId, r.id))),
      )
    ).filter((f): f is FollowUp => f !== undefined && f.customerId === customerId);
    return {
      exportedAt: this.deps.clock.now().toISOString(),
      customer,
      feedback: await this.deps.feedback.get(customerId),
      responses,
      followUps,
    };
  }

  async erase(customerId: string): Promise<{ responsesUnlinked: number; followUpsUnlinked: number }> {
    const customer = await this.deps.customers.get(customerId);
    // The record goes first, so no new response can link to it while we unlink the old ones.
    if (customer) await this.deps.customers.delete(customer);
    let responsesUnlinked = 0;
    let followUpsUnlinked = 0;
    // The customer index is eventually consistent: repeat until a pass finds nothing left.
    for (let pass = 0; pass < 5; pass++) {
      const linked = (await this.allResponses(customerId)).filter((r) => r.customerId === customerId);
      if (linked.length === 0) break;
      for (const response of linked) {
        // Conditional on still naming this customer: a repeated erasure changes nothing. The follow-up
        // goes first: the response's link is what a retried erasure finds, so it must be the last to go.
        if (response.facts.detractor) {
          await this.deps.followUps.unlinkCustomer(followUpIdOf(response.surveyId, response.id), customerId);
          followUpsUnlinked++;
        }
        await this.deps.responses.unlinkCustomer(response, customerId);
        responsesUnlinked++;
      }
    }
    const forgotten = (await this.deps.otherRecords?.forgetCustomer(customerId)) ?? 0;
    if (!customer && responsesUnlinked === 0 && forgotten === 0)
      throw new NotFoundError(`customer ${customerId} does not exist`);
    return { responsesUnlinked, followUpsUnlinked };
  }

  /** After a merge: the duplicate's responses and follow-ups now belong to the primary. */
  async relink(fromId: string, toId: string): Promise<number> {
    const responses = await this.allResponses(fromId);
    for (const response of responses) {
      // Follow-up first, for the same reason as in erase(): the response's link is the retry's to-do list.
      if (response.facts.detractor)
        await this.deps.followUps.relinkCustomer(followUpIdOf(response.surveyId, response.id), fromId, toId);
      await this.deps.responses.relinkCustomer(response, fromId, toId);
    }
    return responses.length;
  }

  private async allResponses(customerId: string): Promise<SurveyResponse[]> {
    const out: SurveyResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.responses.listByCustomer(customerId, PAGE, cursor);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < 100_000);
    return out;
  }
}
