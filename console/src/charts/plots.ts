/**
 * Every chart of the console, drawn with Observable Plot (accessible SVG: an aria-label per chart and
 * per mark). This module is its own lazily loaded chunk. Callers pass data already in display terms
 * (labels in the console's language); colours pair with text or shape, never stand alone.
 */
import {
  areaY,
  axisX,
  axisY,
  barX,
  dot,
  gridX,
  gridY,
  lineY,
  plot,
  ruleX,
  ruleY,
  text,
  tickX,
} from '@observablehq/plot';

const INK = '#1f2328';
const ACCENT = '#2457d6';
const MUTED = '#59636e';
const FONT = { fontSize: '12px', background: 'transparent', overflow: 'visible' };

export interface TrendPoint {
  readonly date: Date;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly lowSample: boolean;
}

/** A tiny line of a figure over time (the Overview's survey rows). */
export function sparkline(points: readonly TrendPoint[], width: number, label: string): Element {
  const known = points.filter((p) => p.value !== null);
  return plot({
    width,
    height: 40,
    margin: 4,
    axis: null,
    ariaLabel: label,
    style: FONT,
    y: { domain: known.length ? undefined : [0, 1] },
    marks: [
      lineY(known, { x: 'date', y: 'value', stroke: ACCENT, strokeWidth: 2, curve: 'monotone-x' }),
      dot(known.slice(-1), { x: 'date', y: 'value', fill: ACCENT, r: 3 }),
    ],
  });
}

/**
 * A figure per bucket with its 95% interval as a band; buckets with fewer than 30 answers are
 * hollow diamonds (the legend says so), the others filled circles.
 */
export function trend(
  points: readonly TrendPoint[],
  options: {
    width: number;
    label: string;
    yLabel: string;
    domain: [number, number];
    format: (v: number) => string;
    lowSampleLabel: string;
    zero?: boolean;
  },
): Element {
  const known = points.filter((p) => p.value !== null);
  const banded = points.filter((p) => p.low !== null && p.high !== null);
  return plot({
    width: options.width,
    height: 260,
    marginLeft: 48,
    marginRight: 16,
    ariaLabel: options.label,
    style: FONT,
    x: { type: 'utc', label: null },
    y: { domain: options.domain, label: options.yLabel, tickFormat: options.format, grid: true },
    symbol: { domain: ['ok', 'low'], range: ['circle', 'diamond2'] },
    marks: [
      options.zero ? ruleY([0], { stroke: MUTED, strokeOpacity: 0.5 }) : null,
      areaY(banded, { x: 'date', y1: 'low', y2: 'high', fill: ACCENT, fillOpacity: 0.14, curve: 'monotone-x' }),
      lineY(known, { x: 'date', y: 'value', stroke: ACCENT, strokeWidth: 2, curve: 'monotone-x' }),
      dot(known, {
        x: 'date',
        y: 'value',
        symbol: (p: TrendPoint) => (p.lowSample ? 'low' : 'ok'),
        r: 4.5,
        fill: (p: TrendPoint) => (p.lowSample ? 'white' : ACCENT),
        stroke: ACCENT,
        strokeWidth: 1.5,
        title: (p: TrendPoint) =>
          `${p.date.toISOString().slice(0, 10)}: ${options.format(p.value ?? 0)} (n = ${p.n})${p.lowSample ? ` — ${options.lowSampleLabel}` : ''}`,
      }),
    ],
  });
}

export interface LikertRow {
  readonly question: string;
  /** The point's label (what the legend shows). */
  readonly answer: string;
  /** Position of the point on its scale, 0-based, for ordering. */
  readonly rank: number;
  /** Share of the question's answers, 0–1, negative on the unfavourable side. */
  readonly share: number;
  readonly tone: 'neg' | 'mid' | 'pos';
}

/**
 * Diverging stacked bars: unfavourable answers to the left of zero, favourable to the right, the
 * neutral point split across it. Each question is one row.
 */
export function likert(
  rows: readonly LikertRow[],
  options: { width: number; label: string; answers: readonly string[]; colors: readonly string[]; axisLabel: string },
): Element {
  const questions = [...new Set(rows.map((r) => r.question))];
  return plot({
    width: options.width,
    height: 56 + questions.length * 40,
    marginLeft: questions.length > 1 ? Math.min(220, options.width / 3) : 12,
    marginRight: 12,
    ariaLabel: options.label,
    style: FONT,
    x: { label: options.axisLabel, tickFormat: (v: number) => `${Math.round(Math.abs(v) * 100)}%`, grid: true },
    // One question per chart: its title is above the chart, so no row labels.
    y: { domain: questions, label: null, axis: questions.length > 1 ? 'left' : null },
    color: { domain: options.answers as string[], range: options.colors as string[], legend: true },
    marks: [
      barX(rows, {
        x: 'share',
        y: 'question',
        fill: 'answer',
        order: (r: LikertRow) => (r.share < 0 ? -r.rank : r.rank),
        title: (r: LikertRow) => `${r.question} — ${r.answer}: ${Math.round(Math.abs(r.share) * 1000) / 10}%`,
        inset: 0.5,
      }),
      ruleX([0], { stroke: INK }),
    ],
  });
}

export interface Segment {
  readonly label: string;
  readonly share: number;
  readonly color: string;
}

/** One stacked bar of shares (NPS detractors / passives / promoters), labelled inside when wide enough. */
export function composition(parts: readonly Segment[], options: { width: number; label: string }): Element {
  let start = 0;
  const laid = parts.map((p) => {
    const x1 = start;
    start += p.share;
    return { ...p, x1, x2: start, mid: (x1 + start) / 2 };
  });
  return plot({
    width: options.width,
    height: 84,
    marginLeft: 8,
    marginRight: 8,
    ariaLabel: options.label,
    style: FONT,
    x: { domain: [0, 1], tickFormat: (v: number) => `${Math.round(v * 100)}%`, label: null },
    y: { axis: null },
    marks: [
      barX(laid, { x1: 'x1', x2: 'x2', fill: (d: (typeof laid)[number]) => d.color, inset: 0.5, title: 'label' }),
      text(
        laid.filter((d) => d.share >= 0.06),
        {
          x: 'mid',
          text: (d: (typeof laid)[number]) => `${Math.round(d.share * 100)}%`,
          fill: 'white',
          fontWeight: 600,
        },
      ),
    ],
  });
}

export interface Bar {
  readonly label: string;
  readonly count: number;
  readonly share: number;
}

/** Horizontal bars of a single-choice question's answers. */
export function bars(rows: readonly Bar[], options: { width: number; label: string; axisLabel: string }): Element {
  return plot({
    width: options.width,
    height: 40 + rows.length * 30,
    marginLeft: Math.min(200, options.width / 3),
    marginRight: 48,
    ariaLabel: options.label,
    style: FONT,
    x: { label: options.axisLabel, tickFormat: (v: number) => `${Math.round(v * 100)}%`, grid: true },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      barX(rows, { x: 'share', y: 'label', fill: ACCENT, title: (r: Bar) => `${r.label}: ${r.count}` }),
      text(rows, {
        x: 'share',
        y: 'label',
        text: (r: Bar) => `${Math.round(r.share * 100)}%`,
        textAnchor: 'start',
        dx: 4,
        fill: INK,
      }),
    ],
  });
}

export interface DriverPoint {
  readonly label: string;
  /** Spearman rho with the overall question. */
  readonly importance: number;
  /** The item's mean as a share of its scale (0 = lowest point, 1 = highest). */
  readonly performance: number;
  readonly lowSample: boolean;
}

/**
 * The importance/performance quadrant: rho against the overall question (up = matters more) beside
 * the item's mean (right = does better). Dividers at the items' medians; the quadrants are named.
 */
export function drivers(
  points: readonly DriverPoint[],
  options: {
    width: number;
    label: string;
    xLabel: string;
    yLabel: string;
    quadrants: { fixFirst: string; keepUp: string; lowPriority: string; overkill: string };
  },
): Element {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length === 0 ? 0 : s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
  };
  const midX = median(points.map((p) => p.performance));
  const midY = median(points.map((p) => p.importance));
  const q = options.quadrants;
  return plot({
    width: options.width,
    height: Math.min(420, Math.max(300, options.width * 0.6)),
    marginLeft: 52,
    marginRight: 20,
    marginTop: 28,
    ariaLabel: options.label,
    style: FONT,
    x: { domain: [0, 1], label: options.xLabel, tickFormat: (v: number) => `${Math.round(v * 100)}%` },
    y: {
      domain: [Math.min(0, ...points.map((p) => p.importance - 0.15)), 1],
      label: options.yLabel,
      tickFormat: (v: number) => v.toFixed(1),
    },
    marks: [
      gridX({ stroke: '#eef0f3', strokeOpacity: 1 }),
      gridY({ stroke: '#eef0f3', strokeOpacity: 1 }),
      ruleX([midX], { stroke: MUTED, strokeDasharray: '4 3' }),
      ruleY([midY], { stroke: MUTED, strokeDasharray: '4 3' }),
      text([q.fixFirst], { frameAnchor: 'top-left', dx: 6, dy: 12, fill: MUTED, fontWeight: 600 }),
      text([q.keepUp], { frameAnchor: 'top-right', dx: -6, dy: 12, fill: MUTED, fontWeight: 600 }),
      text([q.lowPriority], { frameAnchor: 'bottom-left', dx: 6, dy: -8, fill: MUTED, fontWeight: 600 }),
      text([q.overkill], { frameAnchor: 'bottom-right', dx: -6, dy: -8, fill: MUTED, fontWeight: 600 }),
      dot(points, {
        x: 'performance',
        y: 'importance',
        r: 6,
        fill: (p: DriverPoint) => (p.lowSample ? 'white' : ACCENT),
        stroke: ACCENT,
        strokeWidth: 2,
        symbol: (p: DriverPoint) => (p.lowSample ? 'diamond2' : 'circle'),
        title: (p: DriverPoint) =>
          `${p.label}: rho ${p.importance.toFixed(2)}, ${Math.round(p.performance * 100)}%${p.lowSample ? ' (n < 30)' : ''}`,
      }),
      text(points, {
        x: 'performance',
        y: 'importance',
        text: 'label',
        textAnchor: 'start',
        dx: 10,
        fill: INK,
        lineWidth: 14,
      }),
      axisX({ anchor: 'bottom', tickFormat: (v: number) => `${Math.round(v * 100)}%`, label: options.xLabel }),
      axisY({ anchor: 'left', tickFormat: (v: number) => v.toFixed(1), label: options.yLabel }),
    ],
  });
}

export interface Interval {
  readonly label: string;
  readonly value: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly lowSample: boolean;
}

/** Segment by segment: each segment's figure as a dot with its 95% interval as a line. */
export function intervals(
  rows: readonly Interval[],
  options: { width: number; label: string; domain: [number, number]; format: (v: number) => string; axisLabel: string },
): Element {
  return plot({
    width: options.width,
    height: 48 + rows.length * 34,
    marginLeft: Math.min(160, options.width / 3),
    marginRight: 24,
    ariaLabel: options.label,
    style: FONT,
    x: { domain: options.domain, tickFormat: options.format, label: options.axisLabel, grid: true },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      ruleY(
        rows.filter((r) => r.low !== null),
        { x1: 'low', x2: 'high', y: 'label', stroke: ACCENT, strokeWidth: 2 },
      ),
      tickX(
        rows.filter((r) => r.low !== null),
        { x: 'low', y: 'label', stroke: ACCENT },
      ),
      tickX(
        rows.filter((r) => r.high !== null),
        { x: 'high', y: 'label', stroke: ACCENT },
      ),
      dot(rows, {
        x: 'value',
        y: 'label',
        r: 5,
        fill: (r: Interval) => (r.lowSample ? 'white' : ACCENT),
        stroke: ACCENT,
        strokeWidth: 2,
        symbol: (r: Interval) => (r.lowSample ? 'diamond2' : 'circle'),
        title: (r: Interval) => `${r.label}: ${options.format(r.value)} (n = ${r.n})`,
      }),
    ],
  });
}
