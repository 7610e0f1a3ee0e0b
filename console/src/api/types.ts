/** Names for the API's schemas (all generated from docs/openapi.json; nothing here is written by hand). */
import type { components } from './schema';

type S = components['schemas'];
export type Survey = S['Survey'];
export type SurveyCreate = S['SurveyCreate'];
export type SurveyReport = S['SurveyReport'];
export type ReportFigures = Pick<SurveyReport, 'csat' | 'nps' | 'ces'>;
export type QuestionFigure = SurveyReport['questions'][number];
export type Question = Survey['questions'][number];
export type QuestionInput = SurveyCreate['questions'][number];
export type LocalText = Survey['title'];
export type CommentPage = S['CommentPage'];
export type FollowUp = S['FollowUp'];
export type Customer = S['Customer'];
export type CustomerDetail = S['CustomerDetail'];
export type StoredResponse = S['StoredResponse'];
export type ImportReport = S['ImportReport'];
export type QualityReport = S['CustomerQualityReport'];
export type WidgetSurvey = S['WidgetSurvey'];
export type Webhook = S['Webhook'];
export type WebhookIssued = S['WebhookIssued'];
export type WebhookDelivery = S['WebhookDelivery'];
export type WebhookEventType = S['WebhookEventType'];
export type SurveyAlerts = S['SurveyAlerts'];
