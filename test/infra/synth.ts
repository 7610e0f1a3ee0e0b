/**
 * Synthesises the real app (infra/app.ts, cdk-nag included) for the infra tests, with esbuild bundling
 * skipped, into a temporary directory, and hands back the template and CDK's validation report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createRapportApp, type RapportApp } from '../../infra/app';

export interface ValidationReport {
  readonly pluginReports: readonly PluginReport[];
}
export interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly Violation[];
  readonly suppressedViolations?: readonly SuppressedViolation[];
}
export interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}
export interface SuppressedViolation extends Violation {
  readonly acknowledgedId: string;
  readonly acknowledgedAt: string;
  readonly reason: string;
}

export interface Synthesised extends RapportApp {
  readonly template: Template;
  /** The `-edge` stack's template (us-east-1), when the layout has one. */
  readonly edgeTemplate: Template | undefined;
  /** CDK's validation report (no AwsSolutions entry when context nag=false). */
  readonly report: ValidationReport | undefined;
  /** The error synth threw (validation failure), if any. */
  readonly synthError: Error | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped JSON that tests walk by property; this one alias keeps that escape in one place.
export type CfnJson = any;

/**
 * Bundling skipped; and no alarmEmail acknowledged, as a deployable configuration must have one or the
 * other (the ops topic's no-subscriber error has its own test).
 */
export const BASE_CONTEXT = { 'aws:cdk:bundling-stacks': [] as string[], acknowledgeNoAlarmEmail: 'true' };
/** For files that assert on the template: cdk-nag is nag.test.ts's business, so a finding fails only there. */
export const NO_NAG = { nag: 'false' };

/**
 * Synthesises the app with extra context. `modify` may add constructs before synthesis (negative
 * controls). The environment is empty unless given, so CDK_DEFAULT_REGION of the machine never
 * changes the layout under test (pass `region` in the context instead).
 */
export function synthRapport(
  context: Record<string, unknown> = {},
  modify?: (app: RapportApp) => void,
  env: NodeJS.ProcessEnv = {},
): Synthesised {
  const outdir = mkdtempSync(join(tmpdir(), 'rapport-infra-test-'));
  try {
    const rapport = createRapportApp({ outdir, context: { ...BASE_CONTEXT, ...context } }, env);
    modify?.(rapport);
    let synthError: Error | undefined;
    try {
      rapport.app.synth();
    } catch (error) {
      synthError = error as Error;
    }
    let report: ValidationReport | undefined;
    try {
      report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    } catch {
      report = undefined;
    }
    if (synthError && !report) throw synthError;
    const template = synthError ? Template.fromJSON({}) : Template.fromStack(rapport.stack);
    const edgeTemplate = rapport.edge && !synthError ? Template.fromStack(rapport.edge) : undefined;
    return { ...rapport, template, edgeTemplate, report, synthError };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The resources of one type, as [logicalId, resource] pairs. */
export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties: Record<string, CfnJson>; [k: string]: CfnJson }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, CfnJson> }][];
}

/** The app's own functions: every AWS::Lambda::Function except the observability probe. */
export function appFunctionsOf(
  template: Template,
): [string, { Properties: Record<string, CfnJson>; [k: string]: CfnJson }][] {
  return resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME !== 'rapport-probe',
  );
}
