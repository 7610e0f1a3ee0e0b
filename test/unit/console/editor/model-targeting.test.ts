/**
 * The survey editor's targeting text, as an admin types it, into the API's rules and back: a line
 * that is not a rule is an error (never left out, which would widen the audience), a value is a
 * number only when it is a plain number, and page rules are one per line with a pattern only where
 * the line has `*`.
 */
import { describe, expect, it } from 'vitest';
import type { Survey } from '../../../../console/src/api/types';
import {
  type Draft,
  draftOf,
  emptyDraft,
  emptyTargeting,
  targetingIssues,
  toDefinition,
} from '../../../../console/src/editor/model';
import {
  type AttributeRule,
  attributeLine,
  attributeRule,
  urlLine,
  urlRule,
} from '../../../../console/src/editor/targeting-lines';
import { parseValue, typedList, typedValue, valueText } from '../../../../console/src/editor/typed-value';

const draftWith = (targeting: Partial<Draft['targeting']>): Draft => ({
  ...emptyDraft(),
  targeting: { ...emptyTargeting(), ...targeting },
});
const words = (issue: { line: number; problem: string }) => `${issue.line}:${issue.problem}`;

describe('values', () => {
  it('reads only a plain number as a number, true/false as booleans, quotes as text, the rest as typed', () => {
    expect(typedValue('42')).toBe(42);
    expect(typedValue('-1.5')).toBe(-1.5);
    expect(typedValue('0')).toBe(0);
    expect(typedValue('01234')).toBe('01234');
    expect(typedValue('1e3')).toBe('1e3');
    expect(typedValue('0x10')).toBe('0x10');
    expect(typedValue('+1')).toBe('+1');
    expect(typedValue('1.')).toBe('1.');
    expect(typedValue(' pro ')).toBe('pro');
    expect(typedValue('true')).toBe(true);
    expect(typedValue('"42"')).toBe('42');
    expect(typedValue('"true"')).toBe('true');
    expect(parseValue('"half')).toEqual({ problem: 'quote' });
    expect(parseValue('  ')).toEqual({ problem: 'empty' });
  });

  it('writes every value as text that reads back as the same value', () => {
    for (const v of [42, -1.5, 0, true, false, '01234', '42', 'true', 'pro', 'a "b"', '1.', '"'])
      expect(typedValue(valueText(v)), String(v)).toEqual(v);
    expect(valueText('')).toBe('');
  });

  it('splits a list at commas outside quotes', () => {
    expect(typedList('pro, team, "a, b", 7')).toEqual(['pro', 'team', 'a, b', 7]);
    expect(typedList('pro, ')).toEqual(['pro']);
  });
});

describe('attribute rules', () => {
  it('reads the documented forms', () => {
    expect(attributeRule('plan = pro')).toEqual({ rule: { attribute: 'plan', op: 'eq', value: 'pro' } });
    expect(attributeRule('zip = 01234')).toEqual({ rule: { attribute: 'zip', op: 'eq', value: '01234' } });
    expect(attributeRule('code = "42"')).toEqual({ rule: { attribute: 'code', op: 'eq', value: '42' } });
    expect(attributeRule('orders >= 3')).toEqual({ rule: { attribute: 'orders', op: 'gte', value: 3 } });
    expect(attributeRule('orders ≤ 3')).toEqual({ rule: { attribute: 'orders', op: 'lte', value: 3 } });
    expect(attributeRule('plan in pro, team')).toEqual({
      rule: { attribute: 'plan', op: 'in', value: ['pro', 'team'] },
    });
    expect(attributeRule('beta unanswered')).toEqual({ rule: { attribute: 'beta', op: 'unanswered' } });
    expect(attributeRule('beta answered')).toEqual({ rule: { attribute: 'beta', op: 'answered' } });
  });

  it('refuses a line that is not a rule, instead of leaving it out', () => {
    expect(attributeRule('plan contains pro')).toEqual({ problem: 'syntax' });
    expect(attributeRule('plan inactive')).toEqual({ problem: 'syntax' });
    expect(attributeRule('plan =')).toEqual({ problem: 'empty' });
    expect(attributeRule('plan in pro,')).toEqual({ problem: 'empty' });
    expect(attributeRule('orders > many')).toEqual({ problem: 'number' });
    expect(attributeRule('beta answered yes')).toEqual({ problem: 'extra' });
    expect(attributeRule('code = "42')).toEqual({ problem: 'quote' });
  });

  it('writes each rule as a line that reads back as the same rule', () => {
    const rules: AttributeRule[] = [
      { attribute: 'zip', op: 'eq', value: '01234' },
      { attribute: 'code', op: 'ne', value: '42' },
      { attribute: 'plan', op: 'in', value: ['pro', 'a, b', 3] },
      { attribute: 'orders', op: 'gt', value: 2.5 },
      { attribute: 'beta', op: 'unanswered' },
    ];
    for (const rule of rules) expect(attributeRule(attributeLine(rule))).toEqual({ rule });
  });
});

describe('page rules', () => {
  it('keeps ? and commas as parts of an address; a pattern only where the line has *', () => {
    expect(urlRule('/search?q=')).toEqual({ rule: { match: 'prefix', value: '/search?q=' } });
    expect(urlRule('/a,b')).toEqual({ rule: { match: 'prefix', value: '/a,b' } });
    expect(urlRule('/shop/*/cart')).toEqual({ rule: { match: 'glob', value: '/shop/*/cart' } });
    expect(urlRule('=/thanks?x=1')).toEqual({ rule: { match: 'exact', value: '/thanks?x=1' } });
    expect(urlRule('=/a*')).toEqual({ rule: { match: 'exact', value: '/a*' } });
    expect(urlRule('~promo')).toEqual({ rule: { match: 'contains', value: 'promo' } });
    expect(urlRule('=')).toEqual({ problem: 'empty' });
  });

  it('writes each rule as a line that reads back as the same rule (a pattern without * is one address)', () => {
    for (const rule of [
      { match: 'prefix', value: '/search?q=' },
      { match: 'exact', value: '/thanks' },
      { match: 'contains', value: 'promo' },
      { match: 'glob', value: '/shop/*' },
    ] as const)
      expect(urlRule(urlLine(rule))).toEqual({ rule });
    expect(urlLine({ match: 'glob', value: '/search?q=' })).toBe('=/search?q=');
  });
});

describe('the draft', () => {
  it('saves one rule per line, a comma and ? included, and a zip code as text', () => {
    const body = toDefinition(
      draftWith({
        urlInclude: '/search?q=\n/a,b\n/shop/*',
        audienceAttributes: 'zip = 01234\norders >= 3',
      }),
    );
    expect(body.targeting).toEqual({
      triggers: {
        urls: {
          include: [
            { match: 'prefix', value: '/search?q=' },
            { match: 'prefix', value: '/a,b' },
            { match: 'glob', value: '/shop/*' },
          ],
          exclude: [],
        },
      },
      audience: {
        attributes: [
          { attribute: 'zip', op: 'eq', value: '01234' },
          { attribute: 'orders', op: 'gte', value: 3 },
        ],
      },
    });
  });

  it('names every line that is not a rule, by line number, at the field the API would name', () => {
    const d = draftWith({ audienceAttributes: 'plan = pro\n\nplan contains pro', urlExclude: '~' });
    expect(targetingIssues(d.targeting, words)).toEqual({
      'targeting/audience/attributes': '3:syntax',
      'targeting/triggers/urls/exclude': '1:empty',
    });
    expect(targetingIssues(draftWith({ audienceAttributes: 'plan = pro' }).targeting, words)).toEqual({});
  });

  it('reads a stored survey back into the same targeting', () => {
    const targeting = {
      triggers: {
        urls: {
          include: [
            { match: 'prefix', value: '/search?q=' },
            { match: 'exact', value: '/a,b' },
          ],
          exclude: [{ match: 'glob', value: '/admin/*' }],
        },
        events: ['paid'],
      },
      audience: {
        segments: ['smb'],
        attributes: [
          { attribute: 'zip', op: 'eq', value: '01234' },
          { attribute: 'code', op: 'eq', value: '42' },
          { attribute: 'plan', op: 'in', value: ['pro', 'team'] },
        ],
      },
      displayLimit: 2,
    } as const;
    const body = toDefinition(emptyDraft());
    const survey = {
      ...body,
      id: 'S1',
      status: 'draft',
      version: 1,
      revision: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      targeting,
    } as unknown as Survey;
    expect(toDefinition(draftOf(survey)).targeting).toEqual(targeting);
  });
});
