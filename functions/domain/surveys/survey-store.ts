/** The port the survey service needs from storage. */
import type { Survey, VersionedQuestion } from './survey';
import type { SurveyStatus } from './survey-schema';

export interface SurveyPage {
  items: Survey[];
  nextCursor?: string;
}

export interface SurveyStore {
  /** Writes the definition and the snapshot of its first version. */
  create(survey: Survey): Promise<void>;
  get(id: string): Promise<Survey | undefined>;
  /** The questions a given version had (responses are validated and reported against them). */
  getVersion(id: string, version: number): Promise<VersionedQuestion[] | undefined>;
  /** Replaces `previous` (matched on its revision); writes a version snapshot when the version changed. */
  update(previous: Survey, next: Survey): Promise<void>;
  list(options: { limit: number; cursor?: string; status?: SurveyStatus }): Promise<SurveyPage>;
}
