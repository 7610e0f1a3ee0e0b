/**
 * GDPR access and erasure: give a person everything Rapport holds about them, and erase it.
 *
 * What belongs to a person is found by their id, e-mail and phone, never by a scan: the responses
 * linked to them and the follow-ups those opened, unverified claims of their id, responses (linked or
 * not) whose contact data holds their e-mail (pointer items keyed by a hash of it), the ids of records
 * merged into theirs, and kept Idempotency-Key outcomes that hold their values.
 *
 * Erasure keeps responses for the statistics (aggregates and a rebuild give the same figures) but
 * strips them (`response-erasure.ts`); the record, its uniqueness guards and feedback counters go
 * last, in one transaction. It starts by marking the customer as being erased, so nothing new links
 * to them and no merge touches them meanwhile; every step is idempotent, so an interrupted erasure is
 * finished by calling it again (the record, and with it the e-mail and phone to search by, is still
 * there until the very end).
 */

import { NotFoundError, PreconditionFailedError } from '../errors';
import type { FollowUp } from '../followups/followup';
import { followUpIdOf } from '../followups/followup-id';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock } from '../ports';
import type { SurveyResponse } from '../surveys/response';
import type { ResponseStore } from '../surveys/response-store';
import type { Customer } from './customer';
import type { CustomerStore, MergedRecord } from './customer-store';
import type { CustomerFeedback, FeedbackStore } from './feedback';

export interface PrivacyDeps {
  customers: CustomerStore;
  responses: ResponseStore;
  followUps: Pick<FollowUpStore, 'get' | 'redact'>;
  feedback: FeedbackStore;
  clock: Clock;
  /** Other records that may hold the person's values (kept Idempotency-Key outcomes). */
  otherRecords?: { forget(person: { customerId: string; values: string[] }): Promise<number> };
}

export interface PersonalDataExport {
  exportedAt: string;
  customer: Customer;
  feedback: CustomerFeedback;
  /** Responses linked to the customer. */
  responses: SurveyResponse[];
  /** Responses not linked to them that name them: an unverified claim of their id, or their e-mail as contact. */
  otherResponses: SurveyResponse[];
  followUps: FollowUp[];
  /** Ids of records merged into this one: answers signed with them are linked here. */
  mergedIds: string[];
}

export interface ErasureReport {
  /** Responses that were linked to the customer, or claimed to be theirs, now stripped. */
  responsesUnlinked: number;
  /** Other responses holding their e-mail, now stripped. */
  contactResponsesRedacted: number;
  followUpsUnlinked: number;
  mergedIdsForgotten: number;
  keptOutcomesForgotten: number;
}

const PAGE = 100;

const emailsOf = (customer: Customer | undefined, merged: readonly MergedRecord[]) => [
  ...new Set([customer?.email, ...merged.map((m) => m.email)].filter((e): e is string => Boolean(e))),
];
/** Index reads are eventually consistent: passes repeat until one finds nothing left. */
const MAX_PASSES = 5;
const MAX_DELETE_ATTEMPTS = 3;

export class PrivacyService {
  constructor(private readonly deps: PrivacyDeps) {}

  async export(customerId: string): Promise<PersonalDataExport> {
    const customer = await this.deps.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
    const merged = await this.deps.customers.mergedInto(customerId);
    const [responses, otherResponses, feedback] = await Promise.all([
      this.allResponses(customerId),
      this.otherResponses(customer, merged),
      this.deps.feedback.get(customerId),
    ]);
    const followUps = (
      await Promise.all(
        [...responses, ...otherResponses]
          .filter((r) => r.facts.detractor)
          .map((r) => this.deps.followUps.get(followUpIdOf(r.surveyId, r.id))),
      )
    ).filter((f): f is FollowUp => f !== undefined);
    return {
      exportedAt: this.deps.clock.now().toISOString(),
      customer,
      feedback,
      responses,
      otherResponses,
      followUps,
      mergedIds: merged.map((m) => m.id),
    };
  }

  /**
   * The answers that name the customer without a verified identity (the export's `otherResponses`),
   * newest first: what the console's customer page shows, to analysts too, without a full export.
   */
  async unverifiedResponses(customerId: string): Promise<SurveyResponse[]> {
    const customer = await this.deps.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
    const found = await this.otherResponses(customer, await this.deps.customers.mergedInto(customerId));
    return found.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  /** `expectedVersion` (If-Match): erase only the version the caller has seen. */
  async erase(customerId: string, expectedVersion?: number): Promise<ErasureReport> {
    const { customers } = this.deps;
    const customer = await customers.get(customerId);
    if (customer && expectedVersion !== undefined && customer.version !== expectedVersion) {
      throw new PreconditionFailedError(
        `customer ${customerId} is at version ${customer.version}, not ${expectedVersion}`,
        { currentVersion: customer.version },
      );
    }
    const resumed = !customer && (await customers.isBeingErased(customerId));
    if (customer) await customers.beginErasure(customerId);
    const report: ErasureReport = {
      responsesUnlinked: 0,
      contactResponsesRedacted: 0,
      followUpsUnlinked: 0,
      mergedIdsForgotten: 0,
      keptOutcomesForgotten: 0,
    };

    // The records merged into this one were the same person: their ids, e-mails and phones count too
    // (and what is still linked to a merged id, if the stream has not moved it yet).
    const merged = await customers.mergedInto(customerId);
    const touched = new Set<string>();
    for (const id of [customerId, ...merged.map((m) => m.id)]) {
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const found = [
          ...(await this.allResponses(id)).filter((r) => r.customerId === id),
          ...(await this.deps.responses.listClaims(id)).filter((r) => r.unverifiedCustomerId === id),
        ];
        if (found.length === 0) break;
        for (const response of found) report.followUpsUnlinked += await this.redact(response, touched);
        report.responsesUnlinked += found.length;
      }
    }
    for (const email of emailsOf(customer, merged)) {
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const found = await this.deps.responses.listByContact(email);
        if (found.length === 0) break;
        for (const response of found) report.followUpsUnlinked += await this.redact(response, touched);
        report.contactResponsesRedacted += found.length;
      }
      await this.deps.responses.forgetContact(email);
    }
    const values = [
      ...new Set([
        ...[customer, ...merged].flatMap((r) => [r?.id, r?.email, r?.phone]).filter((v): v is string => Boolean(v)),
        customerId,
        ...touched,
      ]),
    ];
    report.keptOutcomesForgotten = (await this.deps.otherRecords?.forget({ customerId, values })) ?? 0;
    // Tombstones last among the searches: they hold the merged records' e-mails a retry searches by.
    for (const record of merged) {
      await customers.forgetMerged(record.id);
      report.mergedIdsForgotten++;
    }

    if (customer) await this.deleteRecord(customer);
    else if (resumed) await customers.endErasure(customerId);
    const foundAny = Object.values(report).some((n) => n > 0);
    if (!customer && !resumed && !foundAny) throw new NotFoundError(`customer ${customerId} does not exist`);
    return report;
  }

  /** The record goes last; a concurrent edit of it (a new version) is re-read and the delete retried. */
  private async deleteRecord(customer: Customer): Promise<void> {
    let current: Customer | undefined = customer;
    for (let attempt = 1; current; attempt++) {
      try {
        await this.deps.customers.delete(current);
        return;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError) || attempt >= MAX_DELETE_ATTEMPTS) throw err;
        current = await this.deps.customers.get(customer.id);
      }
    }
  }

  /**
   * Strips one response and the follow-up it opened; returns 1 when there was a follow-up. The
   * follow-up's id joins `touched`: kept outcomes of edits to it (a note naming the person) go too.
   */
  private async redact(response: SurveyResponse, touched: Set<string>): Promise<number> {
    const followUpId = followUpIdOf(response.surveyId, response.id);
    if (response.facts.detractor) touched.add(followUpId);
    // The follow-up first: the response's index entries are what a retried erasure finds, so they go last.
    // But `erasedAt` before the follow-up: the stream opens a task with a put and then checks `erasedAt`;
    // a task put after the follow-up's strip and checked before the response's would keep the comment.
    if (response.facts.detractor) await this.deps.responses.markErased(response);
    const followUp = response.facts.detractor ? await this.deps.followUps.redact(followUpId) : false;
    await this.deps.responses.redact(response);
    return followUp ? 1 : 0;
  }

  private async otherResponses(customer: Customer, merged: readonly MergedRecord[]): Promise<SurveyResponse[]> {
    const found = [
      ...(await this.deps.responses.listClaims(customer.id)),
      ...(await Promise.all(emailsOf(customer, merged).map((e) => this.deps.responses.listByContact(e)))).flat(),
    ];
    const seen = new Set<string>();
    return found.filter((r) => {
      const key = `${r.surveyId}#${r.id}`;
      if (r.customerId === customer.id || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
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
