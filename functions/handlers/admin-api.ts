/** Lambda entry of the admin API: customers, surveys, reports and follow-ups. JWT-protected. */
import { systemClock } from '../adapters/clock';
import { DynamoAggregateStore } from '../adapters/dynamodb/aggregate-store';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoCustomerStore } from '../adapters/dynamodb/customer-store';
import { DynamoFeedbackStore } from '../adapters/dynamodb/feedback-store';
import { DynamoFollowUpStore } from '../adapters/dynamodb/followup-store';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { DynamoResponseStore } from '../adapters/dynamodb/response-store';
import { DynamoSurveyStore } from '../adapters/dynamodb/survey-store';
import { ulidGenerator } from '../adapters/ids';
import { phoneRegionFrom } from '../config';
import { CustomerService } from '../domain/customers/customer-service';
import { PrivacyService } from '../domain/customers/privacy-service';
import { FollowUpService } from '../domain/followups/followup-service';
import { RebuildService } from '../domain/surveys/rebuild-service';
import { ReportService } from '../domain/surveys/report-service';
import { SurveyService } from '../domain/surveys/survey-service';
import { createHttpFunction } from '../http/http-function';
import { openApiDocument } from '../http/openapi';
import { customerOperations } from './operations/customers';
import { surveyOperations } from './operations/surveys';

const db = createDocumentClient('admin-api');
const table = tableNameFrom();
const clock = systemClock;
const surveyStore = new DynamoSurveyStore(db, table);
const responses = new DynamoResponseStore(db, table);
const aggregates = new DynamoAggregateStore(db, table);
const followUpStore = new DynamoFollowUpStore(db, table);
const feedback = new DynamoFeedbackStore(db, table);
const idempotency = new DynamoIdempotencyStore(db, table);

const customerStore = new DynamoCustomerStore(db, table);
const customers = new CustomerService({
  store: customerStore,
  clock,
  ids: ulidGenerator,
  phoneRegion: phoneRegionFrom(),
});

export const handler = createHttpFunction(
  'admin-api',
  {
    ...customerOperations(
      customers,
      feedback,
      new PrivacyService({
        customers: customerStore,
        responses,
        followUps: followUpStore,
        feedback,
        clock,
        otherRecords: idempotency,
      }),
    ),
    ...surveyOperations({
      surveys: new SurveyService({ store: surveyStore, clock, ids: ulidGenerator }),
      reports: new ReportService({ surveys: surveyStore, responses, aggregates, followUps: followUpStore, clock }),
      responses,
      rebuilds: new RebuildService({ surveys: surveyStore, responses, aggregates, clock }),
      followUps: new FollowUpService(followUpStore, clock),
    }),
    getOpenApi: async () => ({
      status: 200,
      body: openApiDocument(),
      headers: { 'cache-control': 'public, max-age=300' },
    }),
  },
  { idempotency },
);
