import { describe, expect, it } from 'vitest';
import {
  type AlertEvent,
  type AlertStates,
  advanceAlerts,
  alertKey,
  type DropDetectionInput,
  defaultAlertThresholds,
  detectDrops,
  evaluateAlerts,
  type RecoveredEvent,
} from '../../../../functions/domain/alerts';
import type { Histogram } from '../../../../functions/domain/statistics';

const L5 = { min: 1, max: 5 };
const thresholds = defaultAlertThresholds(); // CSAT practical minimum 5 points: recovery band 2.5
const likert = (satisfied: number, n: number): Histogram => ({ '5': satisfied, '2': n - satisfied });

/** One CSAT-only survey, overall scope plus a 'retail' segment that mirrors it. */
function input(current: Histogram, baseline: Histogram, extra: Partial<DropDetectionInput> = {}): DropDetectionInput {
  return {
    questions: { csat: { id: 'sat', scale: L5 } },
    thresholds,
    scopes: [{ segment: 'retail', current: { sat: current }, baseline: { sat: baseline } }],
    ...extra,
  };
}

function step(previous: AlertStates, asOf: string, i: DropDetectionInput) {
  return evaluateAlerts({ surveyId: 'S1', asOf, input: i, previous });
}

const KEY = alertKey('retail', 'csat');
const BASELINE = likert(1600, 2000); // 80%

describe('alert lifecycle', () => {
  it('ok → dropped: one satisfaction.dropped event, and the baseline it fired against is frozen', () => {
    const first = step({}, '2025-03-07', input(likert(350, 500), BASELINE)); // 70% vs 80%
    expect(first.events).toEqual([
      {
        type: 'satisfaction.dropped',
        id: 'S1:csat:2025-03-07:segment:retail:dropped',
        alertId: 'S1:csat:2025-03-07:segment:retail',
        surveyId: 'S1',
        segment: 'retail',
        metric: 'csat',
        questionId: 'sat',
        on: '2025-03-07',
        current: { n: 500, value: expect.closeTo(70, 10) },
        baseline: { n: 2000, value: expect.closeTo(80, 10) },
        estimate: expect.closeTo(-10, 10),
        ci95: { low: expect.any(Number), high: expect.any(Number), level: 0.95 },
        pValue: expect.any(Number),
        adjustedP: expect.any(Number),
        minimumDrop: 5,
      },
    ]);
    expect(first.states[KEY]).toMatchObject({
      droppedOn: '2025-03-07',
      reference: BASELINE,
      referenceValue: expect.closeTo(80, 10),
      minimumDrop: 5,
    });
  });

  it('dropped stays dropped without a word while the drop lasts or deepens (cooldown)', () => {
    let states = step({}, '2025-03-07', input(likert(350, 500), BASELINE)).states;
    for (const [day, satisfied] of [
      ['2025-03-08', 340],
      ['2025-03-09', 300],
      ['2025-03-10', 355],
    ] as const) {
      const next = step(states, day, input(likert(satisfied, 500), BASELINE));
      expect(next.detection.decisions[0]?.status).toBe('drop');
      expect(next.events).toEqual([]);
      states = next.states;
    }
    expect(Object.keys(states)).toEqual([KEY]);
  });

  it('dropped → ok when back within half the practical minimum and not significantly below: one recovery', () => {
    const { states } = step({}, '2025-03-07', input(likert(350, 500), BASELINE));
    const back = step(states, '2025-03-21', input(likert(395, 500), BASELINE)); // 79%: 1 point below
    expect(back.events).toHaveLength(1);
    expect(back.events[0]).toMatchObject({
      type: 'satisfaction.recovered',
      id: 'S1:csat:2025-03-07:segment:retail:recovered',
      alertId: 'S1:csat:2025-03-07:segment:retail',
      reason: 'recovered',
      on: '2025-03-21',
      droppedOn: '2025-03-07',
      current: { n: 500, value: expect.closeTo(79, 10) },
      reference: { n: 2000, value: expect.closeTo(80, 10) },
      estimate: expect.closeTo(-1, 10),
    });
    expect((back.events[0] as RecoveredEvent).pValue).toBeGreaterThan(0.025);
    expect(back.states).toEqual({});
  });

  it('hysteresis: a figure hovering around the practical minimum alerts once and never flaps', () => {
    // 2000 answers a week against 8000: ±1.4 points of noise, so drops of 4–6 points are all
    // significant; only the practical minimum (5) and the recovery band (2.5) decide.
    const big = likert(6400, 8000); // 80%
    let states: AlertStates = {};
    const events: AlertEvent[] = [];
    const weekly = [74.5, 75.5, 74.5, 75.5, 76.5, 74.5, 75.5, 77]; // 5.5, 4.5, … points below 80%
    weekly.forEach((share, i) => {
      const next = step(states, `2025-04-${String(i + 1).padStart(2, '0')}`, input(likert(20 * share, 2000), big));
      events.push(...next.events);
      states = next.states;
    });
    // Fired on the first 5.5-point drop; 4.5, 3.5 and 2.5… were never enough to recover.
    expect(events.map((e) => e.type)).toEqual(['satisfaction.dropped']);
    // 2.4 points below: inside the band, and at 2000 answers still significantly below → no recovery.
    const stillBelow = step(states, '2025-04-10', input(likert(1552, 2000), big));
    expect(stillBelow.events).toEqual([]);
    // Back to 79.5%: recovered, once.
    const recovered = step(stillBelow.states, '2025-04-11', input(likert(1590, 2000), big));
    expect(recovered.events.map((e) => e.type)).toEqual(['satisfaction.recovered']);
  });

  it('recovery is judged against the frozen baseline, not a rolling baseline that absorbed the drop', () => {
    const { states } = step({}, '2025-03-07', input(likert(350, 500), BASELINE));
    // Four weeks later the rolling baseline is 70% too: no drop against it, but no recovery either.
    const later = step(states, '2025-04-04', input(likert(350, 500), likert(1400, 2000)));
    expect(later.detection.decisions[0]?.status).toBe('not-significant');
    expect(later.events).toEqual([]);
    expect(later.states[KEY]?.referenceValue).toBeCloseTo(80, 10);
  });

  it('holds an open alert while the current window has too few answers to judge it', () => {
    const { states } = step({}, '2025-03-07', input(likert(350, 500), BASELINE));
    const quiet = step(states, '2025-03-14', input(likert(20, 20), BASELINE)); // 100%, but 20 answers
    expect(quiet.events).toEqual([]);
    expect(quiet.states).toEqual(states);
  });

  it('closes an alert whose segment or question is gone, with reason no-longer-measured', () => {
    const { states } = step({}, '2025-03-07', input(likert(350, 500), BASELINE));
    const noSegment = step(states, '2025-03-14', input({}, {}, { scopes: [] }));
    expect(noSegment.events).toEqual([
      expect.objectContaining({ type: 'satisfaction.recovered', reason: 'no-longer-measured', current: null }),
    ]);
    expect(noSegment.states).toEqual({});
    const newQuestion = step(
      states,
      '2025-03-14',
      input({}, {}, { questions: { csat: { id: 'sat@2', scale: { min: 1, max: 7 } } } }),
    );
    expect(newQuestion.events.map((e) => (e as RecoveredEvent).reason)).toEqual(['no-longer-measured']);
  });

  it('a retried evaluation gives the same events and ids; a second run on its result gives none', () => {
    const i = input(likert(350, 500), BASELINE);
    const a = step({}, '2025-03-07', i);
    const b = step({}, '2025-03-07', i);
    expect(b).toEqual(a);
    expect(step(a.states, '2025-03-07', i).events).toEqual([]);
  });

  it('cannot recover and fire again in the same step', () => {
    const { states } = step({}, '2025-03-07', input(likert(350, 500), BASELINE));
    // Back at 80% against the frozen reference, but the rolling baseline is now 92%: a "drop" against it.
    const next = step(states, '2025-05-01', input(likert(400, 500), likert(1840, 2000)));
    expect(next.detection.decisions[0]?.status).toBe('drop');
    expect(next.events.map((e) => e.type)).toEqual(['satisfaction.recovered']);
    expect(next.states).toEqual({});
    // The next evaluation may fire again, as a new alert.
    const again = step(next.states, '2025-05-02', input(likert(400, 500), likert(1840, 2000)));
    expect(again.events.map((e) => e.type)).toEqual(['satisfaction.dropped']);
    expect(again.events[0]?.alertId).toBe('S1:csat:2025-05-02:segment:retail');
  });

  it('refuses a detection that does not belong to the input', () => {
    const i = input(likert(350, 500), BASELINE);
    const detection = detectDrops(i);
    expect(() =>
      advanceAlerts({ surveyId: 'S1', asOf: '2025-03-07', input: { ...i, scopes: [] }, detection, previous: {} }),
    ).toThrow(RangeError);
  });
});
