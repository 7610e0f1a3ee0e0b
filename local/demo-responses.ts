/**
 * Four weeks of plausible answers to the demo survey for `npm start`, so the console's charts, drivers,
 * comments and follow-ups have something to show. Sent through the public submission route with the
 * survey's own origin — the path a real widget takes — and deterministic, so every fresh `.data/`
 * looks the same. Satisfaction improves over the weeks; delivery drives it most; some answers come from
 * the demo customers (linked by e-mail) and some leave a comment in English or Chinese.
 */
import { ulid } from 'ulid';

const DAY_MS = 86_400_000;

const COMMENTS = {
  low: [
    'Delivery took almost two weeks and nobody answered my e-mails.',
    '配送太慢了，客服也没有回复。',
    'The package arrived damaged.',
    '商品和描述不一致，很失望。',
    'Checkout kept failing on the app.',
  ],
  mid: [
    'Fine overall, but the tracking page was confusing.',
    '还可以，但是包装可以更好。',
    'Okay. Prices went up since last time.',
  ],
  high: [
    'Fast delivery and great support, thank you!',
    '非常满意，下次还会再买。',
    'The store staff were really helpful.',
    '物流很快，包装也很好。',
    'Easy to order, arrived the next day.',
  ],
} as const;

const EMAILS = [
  'li.wei@example.com',
  'wang.fang@example.cn',
  'emma.johnson@example.com',
  'zhang.wei@example.cn',
  'carlos.mendes@example.com',
  'chen.jing@example.cn',
];

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface DemoSubmission {
  readonly body: Record<string, unknown>;
}

/** `count` answers spread over the last `days` days (never in the future, never older than the API accepts). */
export function demoSubmissions(now: Date, count = 240, days = 28): DemoSubmission[] {
  const random = seeded(20261129);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));
  const out: DemoSubmission[] = [];
  for (let i = 0; i < count; i++) {
    const age = (1 - i / count) * days * DAY_MS * 0.98 + random() * DAY_MS * 0.5;
    const at = Math.floor(now.getTime() - Math.min(age, days * DAY_MS) - 60_000);
    const progress = i / count;
    // Delivery drives the overall rating; both improve over the four weeks.
    const delivery = clamp(3 + progress * 1.4 + (random() - 0.5) * 2.6, 1, 5);
    const overall = clamp(delivery * 0.7 + 1.3 + (random() - 0.5) * 1.6, 1, 5);
    const nps = clamp(overall * 2.2 - 0.2 + (random() - 0.5) * 3, 0, 10);
    const effort = clamp(3 + overall * 0.6 + (random() - 0.5) * 2.5, 1, 7);
    const answers: Record<string, unknown> = {
      overall,
      delivery,
      nps,
      effort,
      channel: pick(['web', 'web', 'app', 'store'] as const),
    };
    const mood = overall <= 2 ? 'low' : overall === 3 ? 'mid' : 'high';
    if (random() < (mood === 'low' ? 0.7 : 0.25)) answers.comment = pick(COMMENTS[mood]);
    const email = random() < 0.12 ? pick(EMAILS) : undefined;
    out.push({
      body: {
        id: ulid(at),
        surveyVersion: 1,
        locale: random() < 0.45 ? 'zh-CN' : 'en',
        answers,
        segment: pick(['enterprise', 'smb', 'smb', 'consumer', 'consumer', 'partner'] as const),
        ...(email ? { email } : {}),
      },
    });
  }
  return out;
}
