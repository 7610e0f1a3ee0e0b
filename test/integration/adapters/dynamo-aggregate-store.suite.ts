/**
 * dynamo-aggregate-store.ts: a day range is read as parsed cells with their counts; `uncounted` finds
 * the responses the stream has no marker for; `replaceDay` swaps one day's cells atomically — only if
 * nothing was aggregated meanwhile — and marks the uncounted responses (TTL'd markers) so the stream
 * never adds them again.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAggregateStore } from '../../../functions/adapters/dynamodb/dynamo-aggregate-store';
import { aggregateKeys, keys, markerIds } from '../../../functions/adapters/dynamodb/keys';
import { MARKER_TTL_SECONDS, StreamApplier } from '../../../functions/adapters/dynamodb/stream-applier';
import { displayEffects, responseEffects } from '../../../functions/adapters/dynamodb/stream-effects';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import {
  type AggregateRow,
  aggregateAdditions,
  cellId,
  FUNNEL_KINDS,
  funnelAdditions,
  sumRows,
} from '../../../functions/domain/surveys/aggregation';
import type { SurveyDisplay } from '../../../functions/domain/surveys/display';
import type { SurveyResponse } from '../../../functions/domain/surveys/response';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { draftSurvey, newId, published, surveyResponse } from './fixtures';

/** What the rebuild computes for a day: every response's additions, summed. */
function rowsOf(responses: SurveyResponse[]): AggregateRow[] {
  const rows = new Map<string, AggregateRow>();
  for (const r of responses) sumRows(rows, aggregateAdditions(r.facts, r.day));
  return [...rows.values()];
}

export function dynamoAggregateStoreSuite(t: AdapterTable): void {
  describe('dynamo-aggregate-store.ts', () => {
    const store = () => new DynamoAggregateStore(t.db, t.tableName);
    const applier = () => new StreamApplier(t.db, t.tableName);
    /** Counts responses the way the stream does (cells plus one marker per response). */
    const streamCounts = (responses: SurveyResponse[]) =>
      applier().apply(responses.flatMap((r, i) => responseEffects(r, String(i + 1))));
    const survey = published(draftSurvey());
    const day = '2024-05-10';
    const on = (d: string, hour: number, answers: SurveyResponse['answers'], segment?: string) =>
      surveyResponse(survey, answers, {
        at: new Date(`${d}T${String(hour).padStart(2, '0')}:00:00Z`),
        ...(segment ? { segment } : {}),
      });

    it('reads every cell of the day range with its counts, and nothing of other days or surveys', async () => {
      const s = published(draftSurvey());
      const mk = (d: string, answers: SurveyResponse['answers'], segment?: string) =>
        surveyResponse(s, answers, { at: new Date(`${d}T12:00:00Z`), ...(segment ? { segment } : {}) });
      const inRange = [
        mk('2024-04-01', { overall: 5, delivery: 4, channel: 'web' }, 'vip'),
        mk('2024-04-02', { overall: 1, comment: 'slow' }),
      ];
      await streamCounts([mk('2024-03-31', { overall: 3 }), ...inRange, mk('2024-04-03', { overall: 2 })]);
      await streamCounts([
        surveyResponse(published(draftSurvey()), { overall: 4 }, { at: new Date('2024-04-01T12:00:00Z') }),
      ]);

      const rows = await store().read(s.id, '2024-04-01', '2024-04-02');
      const key = (r: Pick<AggregateRow, 'day' | 'kind' | 'key'>) => `${r.day} ${r.kind} ${r.key}`;
      const expected = rowsOf(inRange);
      expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
      for (const row of rows) expect(row).toEqual(expected.find((e) => key(e) === key(row)));
      expect(rows.find((r) => r.kind === 'total' && r.day === '2024-04-02')?.counts).toEqual({
        n: 1,
        comments: 1,
        detractors: 1,
      });
      expect(await store().read(s.id, '2024-04-01', '2024-04-02', true)).toEqual(rows);
    });

    it('reads the per-shard copies of funnel cells as one cell each, summed, and a day replacement keeps them all', async () => {
      const s = published(draftSurvey());
      const d = '2024-04-10';
      const displays: SurveyDisplay[] = Array.from({ length: 64 }, (_, i) => ({
        id: newId(new Date(`${d}T12:00:00Z`)),
        surveyId: s.id,
        event: i % 4 === 3 ? 'dismissed' : 'shown',
        day: d,
        receivedAt: `${d}T12:00:00.000Z`,
        ...(i % 4 === 3 ? { questionId: 'overall' } : {}),
        ...(i % 2 === 0 ? { segment: 'vip' } : {}),
      }));
      await applier().apply(displays.map((x, i) => displayEffects(x, String(i + 1))));
      const copies = (await t.items()).filter((i) => i.PK === aggregateKeys.partition(s.id));
      // The displays landed in many copies: the sum below is a real sum.
      expect(copies.length).toBeGreaterThan(16);
      const expected = new Map<string, AggregateRow>();
      for (const x of displays) sumRows(expected, funnelAdditions(x));
      const byCell = (rows: AggregateRow[]) => [...rows].sort((a, b) => cellId(a).localeCompare(cellId(b)));
      expect(byCell(await store().read(s.id, d, d))).toEqual(byCell([...expected.values()]));
      expect((await store().read(s.id, d, d)).find((r) => r.kind === 'funnel')?.counts).toEqual({
        shown: 48,
        dismissed: 16,
        'd:overall': 16,
      });

      // A rebuild of the day from its one response replaces the response cells and no funnel copy.
      const response = surveyResponse(s, { overall: 4 }, { at: new Date(`${d}T13:00:00Z`) });
      await streamCounts([response]);
      expect(await store().replaceDay(s.id, d, rowsOf([response]), 1, [])).toBe(true);
      const after = await t.items();
      for (const copy of copies) expect(after).toContainEqual(copy);
      const funnelRows = (await store().read(s.id, d, d)).filter((r) => FUNNEL_KINDS.includes(r.kind));
      expect(byCell(funnelRows)).toEqual(byCell([...expected.values()]));
    });

    it('counts a funnel cell written before sharding once, beside the copies, and a day replacement keeps it', async () => {
      const s = published(draftSurvey());
      const d = '2024-04-11';
      // What the stream wrote before displays were sharded: one cell per funnel kind and segment.
      const legacy = [
        { PK: aggregateKeys.partition(s.id), SK: `DAY#${d}#F#`, shown: 5 },
        { PK: aggregateKeys.partition(s.id), SK: `DAY#${d}#G#vip`, shown: 2, dismissed: 1 },
      ];
      for (const item of legacy)
        await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...item, entity: 'counters' } }));
      const displays: SurveyDisplay[] = Array.from({ length: 24 }, () => ({
        id: newId(new Date(`${d}T12:00:00Z`)),
        surveyId: s.id,
        event: 'shown',
        day: d,
        receivedAt: `${d}T12:00:00.000Z`,
        segment: 'vip',
      }));
      await applier().apply(displays.map((x, i) => displayEffects(x, String(i + 1))));
      const funnel = async () =>
        Object.fromEntries(
          (await store().read(s.id, d, d, true))
            .filter((r) => FUNNEL_KINDS.includes(r.kind))
            .map((r) => [`${r.kind}:${r.key}`, r.counts]),
        );
      const expected = { 'funnel:': { shown: 29 }, 'funnel-segment:vip': { shown: 26, dismissed: 1 } };
      expect(await funnel()).toEqual(expected);
      const response = surveyResponse(s, { overall: 4 }, { at: new Date(`${d}T13:00:00Z`) });
      await streamCounts([response]);
      expect(await store().replaceDay(s.id, d, rowsOf([response]), 1, [])).toBe(true);
      expect(await funnel()).toEqual(expected);
    });

    it("gives a day's response count, 0 for a day without responses", async () => {
      const s = published(draftSurvey());
      await streamCounts(
        [1, 2, 3].map((h) => surveyResponse(s, { overall: h }, { at: new Date(`2024-04-05T0${h}:00:00Z`) })),
      );
      expect(await store().dayCount(s.id, '2024-04-05')).toBe(3);
      expect(await store().dayCount(s.id, '2024-04-06')).toBe(0);
    });

    it('finds, among many responses, exactly those without a marker of their aggregates', async () => {
      const s = published(draftSurvey());
      const responses = Array.from({ length: 230 }, (_, i) => ({ id: newId(), counted: i % 3 === 0 }));
      const markers = responses
        .filter((x) => x.counted)
        .map((r) => keys.streamMarker(markerIds.responseEffects(s.id, r.id)));
      for (let i = 0; i < markers.length; i += 25) {
        await t.db.send(
          new BatchWriteCommand({
            RequestItems: { [t.tableName]: markers.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
      }
      // Markers of another unit (feedback) or another survey say nothing about these aggregates.
      const other = responses.find((x) => !x.counted)!;
      await t.db.send(
        new PutCommand({ TableName: t.tableName, Item: keys.streamMarker(markerIds.feedbackEffects(s.id, other.id)) }),
      );
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: keys.streamMarker(markerIds.responseEffects(newId(), other.id)),
        }),
      );
      const uncounted = await store().uncounted(
        s.id,
        responses.map((r) => r.id),
      );
      expect(uncounted).toEqual(responses.filter((r) => !r.counted).map((r) => r.id));
    });

    describe('replaceDay', () => {
      it("replaces exactly that day's cells and marks the uncounted responses, with their TTL", async () => {
        const counted = [on(day, 8, { overall: 4, channel: 'web' }), on(day, 9, { overall: 5, channel: 'app' })];
        await streamCounts(counted);
        await streamCounts([on('2024-05-11', 8, { overall: 1 })]);
        const late = on(day, 10, { overall: 4 }, 'vip');
        const all = [...counted, late];
        const before = Math.floor(Date.now() / 1000);
        // Rebuilt with the new response, and as if the old ones had no channel answer any more (a fix of facts).
        const rows = rowsOf(all.map((r) => ({ ...r, facts: { ...r.facts, choices: {} } })));
        const change = await observe(t, () => store().replaceDay(survey.id, day, rows, 2, [late.id]));
        const after = Math.floor(Date.now() / 1000);

        expect(change.value).toBe(true);
        const cell = (kind: AggregateRow['kind'], k = '') =>
          keyOf(aggregateKeys.item(survey.id, { day, kind, key: k }));
        const marker = keyOf(keys.streamMarker(markerIds.responseEffects(survey.id, late.id)));
        expect(change.keys).toEqual({
          added: [cell('segment', 'vip'), marker].sort(),
          removed: [cell('choice', 'channel@1')],
          // The segment cell of the two counted responses holds their answers too (segment reports
          // fold it), so the fix of facts changes it as well.
          changed: [cell('question', 'overall@1'), cell('segment', 'none'), cell('total')].sort(),
        });
        const markerItem = change.added.find((i) => keyOf(i) === marker);
        expect(markerItem).toMatchObject({ entity: 'stream-marker' });
        expect(markerItem?.expiresAt).toBeGreaterThanOrEqual(before + MARKER_TTL_SECONDS);
        expect(markerItem?.expiresAt).toBeLessThanOrEqual(after + MARKER_TTL_SECONDS);
        expect(await store().dayCount(survey.id, day)).toBe(3);

        // The stream delivering the late response now changes nothing: it was counted by the rebuild.
        const replay = await observe(t, () => streamCounts([late]));
        expect(replay.value).toMatchObject({ applied: 0, skippedAsDuplicate: 1 });
        expect(replay.keys).toEqual(NO_CHANGES);
      });

      it('refuses (false), writing nothing, when a response was aggregated after the count was read', async () => {
        const d = '2024-05-12';
        const first = on(d, 8, { overall: 3 });
        await streamCounts([first]);
        const expectedN = await store().dayCount(survey.id, d);
        const second = on(d, 9, { overall: 2 });
        await streamCounts([second]);
        const change = await observe(t, () => store().replaceDay(survey.id, d, rowsOf([first]), expectedN, []));
        expect(change.value).toBe(false);
        expect(change.keys).toEqual(NO_CHANGES);
      });

      it('refuses (false), writing nothing, when the stream counted an "uncounted" response meanwhile', async () => {
        const d = '2024-05-13';
        const r = on(d, 8, { overall: 3 });
        await streamCounts([r]);
        const change = await observe(t, () => store().replaceDay(survey.id, d, rowsOf([r]), 1, [r.id]));
        expect(change.value).toBe(false);
        expect(change.keys).toEqual(NO_CHANGES);
      });

      it('creates the cells of a day that had none', async () => {
        const d = '2024-05-14';
        const r = on(d, 8, { overall: 5 });
        const change = await observe(t, () => store().replaceDay(survey.id, d, rowsOf([r]), 0, [r.id]));
        expect(change.value).toBe(true);
        expect(await store().read(survey.id, d, d)).toEqual(expect.arrayContaining(rowsOf([r])));
        // A second rebuild from the same stale count "0" finds the day taken.
        expect(await store().replaceDay(survey.id, d, rowsOf([r]), 0, [])).toBe(false);
      });

      it('claims more uncounted responses than one transaction holds: the overflow first, then the cells with the rest', async () => {
        const d = '2024-05-15';
        const many = Array.from({ length: 120 }, () => newId());
        const r = on(d, 8, { overall: 5 });
        const change = await observe(t, () => store().replaceDay(survey.id, d, rowsOf([r]), 0, many));
        expect(change.error).toBeUndefined();
        expect(change.value).toBe(true);
        const markers = many.map((id) => keyOf(keys.streamMarker(markerIds.responseEffects(survey.id, id))));
        expect(change.keys.added).toEqual(expect.arrayContaining(markers));
        expect(change.keys.removed).toEqual([]);
        expect(await store().read(survey.id, d, d)).toEqual(expect.arrayContaining(rowsOf([r])));
        // Every claimed response is now counted as far as the stream is concerned.
        expect(await store().uncounted(survey.id, many)).toEqual([]);
      });

      it('maps a conflict that never clears to ServiceUnavailableError (not "changed meanwhile"), writing nothing', async () => {
        const d = '2024-05-16';
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'TransactionConflict' });
          const change = await observe(t, () =>
            store().replaceDay(survey.id, d, rowsOf([on(d, 8, { overall: 5 })]), 0, []),
          );
          expect(change.error).toBeInstanceOf(ServiceUnavailableError);
          expect(change.keys).toEqual(NO_CHANGES);
          proxy.plan({ fault: 'Throttling' });
          await expect(store().read(survey.id, d, d)).rejects.toBeInstanceOf(ServiceUnavailableError);
          await expect(store().uncounted(survey.id, [newId()])).rejects.toBeInstanceOf(ServiceUnavailableError);
        });
      });
    });
  });
}
