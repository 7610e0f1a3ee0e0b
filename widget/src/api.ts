import type { WidgetSurvey } from './types';

/** `https://api.example.com/` → `https://api.example.com`; missing → this page's origin. */
export const apiBase = (api: string | null | undefined): string => (api || location.origin).replace(/\/+$/, '');

export const surveyUrl = (api: string, id: string) => `${api}/v1/surveys/${encodeURIComponent(id)}/`;

export async function fetchSurvey(api: string, id: string): Promise<WidgetSurvey> {
  const response = await fetch(`${surveyUrl(api, id)}widget`, { credentials: 'omit' });
  if (!response.ok) throw Error(`${response.status} ${id}`);
  return response.json() as Promise<WidgetSurvey>;
}
