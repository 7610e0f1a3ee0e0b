/** The survey as `GET /v1/surveys/{id}/widget` returns it (the widget's own copy of the contract). */
export type Locale = 'en' | 'zh-CN';
export type LocalText = Partial<Record<Locale, string>>;

interface Base {
  id: string;
  required: boolean;
  text: LocalText;
}
export type Question =
  | (Base & { type: 'likert'; points: 5 | 7; labels?: LocalText[]; overall?: boolean })
  | (Base & { type: 'nps' | 'ces'; overall?: boolean })
  | (Base & { type: 'single_choice'; options: { id: string; label: LocalText }[] })
  | (Base & { type: 'text'; maxLength: number })
  | (Base & { type: 'contact'; consentText: LocalText });

export interface WidgetSurvey {
  id: string;
  version: number;
  locales: Locale[];
  defaultLocale: Locale;
  title: LocalText;
  thankYou?: LocalText;
  questions: Question[];
  delivery: { samplingRate: number; frequencyCapDays: number };
}

export type ContactAnswer = { email: string; consent: boolean };
export type Answer = number | string | ContactAnswer;

/** What the host passes with `Rapport.open()` (or attributes): who answers, and context. */
export interface OpenOptions {
  customerId?: string;
  segment?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Open even if sampling or the frequency cap would not show the survey to this visitor. */
  force?: boolean;
}
