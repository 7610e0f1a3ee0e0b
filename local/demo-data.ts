/**
 * Demo records for `npm start`: enough variety (English and Chinese names, CN mobiles, segments,
 * tags) to try listing, filtering, lookup and export by hand. Request bodies of the public API, not
 * table items, so they go through the same validation and normalisation as real input.
 */
export interface SeedRequest {
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Short label for the log. */
  readonly label: string;
}

const customers = [
  {
    name: 'Li Wei',
    email: 'li.wei@example.com',
    phone: '138 0013 8000',
    company: 'Acme China',
    segment: 'enterprise',
    tags: ['vip', 'beijing'],
  },
  {
    name: '王芳',
    email: 'wang.fang@example.cn',
    phone: '139 1234 5678',
    company: '星辰科技',
    segment: 'smb',
    tags: ['shanghai'],
  },
  {
    name: 'Emma Johnson',
    email: 'emma.johnson@example.com',
    phone: '+44 20 7946 0958',
    company: 'Northwind Ltd',
    segment: 'enterprise',
    tags: ['uk', 'renewal-q3'],
  },
  { name: '张伟', email: 'zhang.wei@example.cn', phone: '186 0000 1234', segment: 'consumer', tags: ['app-user'] },
  {
    name: 'Carlos Mendes',
    email: 'carlos.mendes@example.com',
    phone: '+1 (201) 555-0123',
    company: 'Globex',
    segment: 'smb',
    tags: ['trial'],
  },
  {
    name: '陈静',
    email: 'chen.jing@example.cn',
    phone: '137 7777 8888',
    company: '华南物流',
    segment: 'enterprise',
    tags: ['vip', 'shenzhen'],
    attributes: { plan: 'gold', seats: 120 },
  },
] as const;

export const demoSeedRequests: readonly SeedRequest[] = customers.map((body) => ({
  method: 'POST',
  path: '/v1/customers',
  body,
  label: `customer ${body.email}`,
}));

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** The demo survey the demo page embeds: every question type, in English and Chinese. */
export function demoSurvey(origins: readonly string[]) {
  return {
    name: 'Rapport demo: after purchase',
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: t('How was your purchase?', '您对这次购买满意吗？'),
    thankYou: t('Thank you! Your answer helps us improve.', '谢谢！您的反馈帮助我们改进。'),
    questions: [
      {
        id: 'overall',
        type: 'likert',
        points: 5,
        required: true,
        overall: true,
        text: t('Overall, how satisfied are you with your purchase?', '总体而言，您对这次购买的满意程度如何？'),
        labels: [
          t('Very dissatisfied', '非常不满意'),
          t('Dissatisfied', '不满意'),
          t('Neutral', '一般'),
          t('Satisfied', '满意'),
          t('Very satisfied', '非常满意'),
        ],
      },
      {
        id: 'delivery',
        type: 'likert',
        points: 5,
        text: t('How satisfied are you with the delivery?', '您对配送的满意程度如何？'),
      },
      {
        id: 'nps',
        type: 'nps',
        text: t('How likely are you to recommend us to a friend?', '您向朋友推荐我们的可能性有多大？'),
      },
      {
        id: 'effort',
        type: 'ces',
        text: t('The company made it easy for me to handle my issue.', '公司让我轻松地解决了问题。'),
      },
      {
        id: 'channel',
        type: 'single_choice',
        text: t('Where did you buy?', '您在哪里购买的？'),
        options: [
          { id: 'web', label: t('Website', '网站') },
          { id: 'app', label: t('Mobile app', '手机应用') },
          { id: 'store', label: t('Store', '门店') },
        ],
      },
      {
        id: 'comment',
        type: 'text',
        maxLength: 500,
        text: t('Anything we could do better?', '我们还有哪些可以改进的地方？'),
      },
      {
        id: 'contact',
        type: 'contact',
        text: t('May we contact you about your answer?', '我们可以就您的反馈联系您吗？'),
        consentText: t('Yes, you may e-mail me about this answer.', '可以，请通过电子邮件联系我。'),
      },
    ],
    delivery: {
      allowedOrigins: [...origins],
      samplingRate: 1,
      frequencyCapDays: 0,
      segments: ['enterprise', 'smb', 'consumer'],
    },
  };
}
