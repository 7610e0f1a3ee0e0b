import type { WidgetSurvey } from './types';

/** `https://api.example.com/` → `https://api.example.com`; missing → this page's origin. */
export const apiBase = (api: string | null | undefined): string => (api || location.origin).replace(/\/+$/, '');

/** Where a survey's public resources are (`…/v1/surveys/<id>/`), under the API `api` names. */
export const surveyUrl = (api: string | null | undefined, id: string) =>
  `${apiBase(api)}/v1/surveys/${encodeURIComponent(id)}/`;

/** The survey's definition, from its `surveyUrl`. */
export async function fetchSurvey(url: string): Promise<WidgetSurvey> {
  const response = await fetch(`${url}widget`, { credentials: 'omit' });
  // The status is all debug mode needs to tell "not active" (404) from the rest.
  if (!response.ok) throw Error(`${response.status}`);
  return response.json() as Promise<WidgetSurvey>;
}
