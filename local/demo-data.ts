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
  { name: 'Li Wei', email: 'li.wei@example.com', phone: '138 0013 8000', company: 'Acme China', segment: 'enterprise', tags: ['vip', 'beijing'] },
  { name: '王芳', email: 'wang.fang@example.cn', phone: '139 1234 5678', company: '星辰科技', segment: 'smb', tags: ['shanghai'] },
  { name: 'Emma Johnson', email: 'emma.johnson@example.com', phone: '+44 20 7946 0958', company: 'Northwind Ltd', segment: 'enterprise', tags: ['uk', 'renewal-q3'] },
  { name: '张伟', email: 'zhang.wei@example.cn', phone: '186 0000 1234', segment: 'consumer', tags: ['app-user'] },
  { name: 'Carlos Mendes', email: 'carlos.mendes@example.com', phone: '+1 (201) 555-0123', company: 'Globex', segment: 'smb', tags: ['trial'] },
  { name: '陈静', email: 'chen.jing@example.cn', phone: '137 7777 8888', company: '华南物流', segment: 'enterprise', tags: ['vip', 'shenzhen'], attributes: { plan: 'gold', seats: 120 } },
] as const;

export const demoSeedRequests: readonly SeedRequest[] = customers.map((body) => ({
  method: 'POST',
  path: '/v1/customers',
  body,
  label: `customer ${body.email}`,
}));
