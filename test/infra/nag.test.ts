import { Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/contracts/routes';
import { type PluginReport, type Synthesised, synthRapport } from './synth';

/** Every `AwsSolutions::…` acknowledgement recorded in the construct tree, as `path|ruleId`. */
function acknowledgementsIn(root: IConstruct): { key: string; id: string; path: string; reason: string }[] {
  const found: { key: string; id: string; path: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ key: `${c.node.path}|${id}`, id, path: c.node.path, reason });
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  let s: Synthesised;
  let nag: PluginReport;

  beforeAll(() => {
    s = synthRapport();
    nag = s.report!.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
  });

  it('runs as a validation plugin on synth and finds nothing unacknowledged (errors or warnings)', () => {
    expect(s.synthError).toBeUndefined();
    expect(nag).toBeDefined();
    const open = nag.violations.map(
      (v) => `${v.ruleName} (${v.severity}) at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
    );
    expect(open).toEqual([]);
    expect(nag.conclusion).toBe('success');
  });

  it('gives every acknowledgement a specific reason', () => {
    const suppressed = nag.suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const v of suppressed) {
      expect(v.reason.length, `${v.acknowledgedId} at ${v.acknowledgedAt}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('uses every acknowledgement (none is stale) and records all of them in the AwsSolutions namespace', () => {
    const acks = acknowledgementsIn(s.app);
    expect(acks.length).toBeGreaterThan(0);
    // Un-namespaced ids would be handled inside cdk-nag and never reach the validation report's audit trail.
    for (const a of acks) expect(a.id, a.key).toMatch(/^AwsSolutions::AwsSolutions-/);
    const used = new Set((nag.suppressedViolations ?? []).map((v) => `${v.acknowledgedAt}|${v.acknowledgedId}`));
    expect(acks.map((a) => a.key).filter((k) => !used.has(k))).toEqual([]);
  });

  it('acknowledges missing API authorization (APIG4, COG4) only on the public routes', () => {
    const publicRouteIds = new Set(routes.filter((r) => r.access === 'public').map((r) => `Route-${r.operationId}`));
    const authAcks = acknowledgementsIn(s.app).filter((a) => /AwsSolutions-(APIG4|COG4)\b/.test(a.id));
    expect(authAcks.length).toBe(publicRouteIds.size);
    for (const a of authAcks) {
      expect(publicRouteIds.has(a.path.split('/').pop()!), a.key).toBe(true);
    }
  });

  it.each([
    ['another region (WebACL in the us-east-1 edge stack)', { region: 'eu-west-1' }],
    ['us-east-1', { region: 'us-east-1' }],
    ['WAF off', { waf: 'false' }],
  ])('is clean in the other layouts too: %s', (_, context) => {
    const other = synthRapport(context);
    expect(other.synthError).toBeUndefined();
    const report = other.report!.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    const used = new Set((report.suppressedViolations ?? []).map((v) => `${v.acknowledgedAt}|${v.acknowledgedId}`));
    expect(
      acknowledgementsIn(other.app)
        .map((a) => a.key)
        .filter((k) => !used.has(k)),
    ).toEqual([]);
  });

  it('can fail: an unacknowledged finding fails the synth and is reported', () => {
    const broken = synthRapport({}, ({ stack }) => {
      new Queue(stack, 'NagCanary', { encryption: QueueEncryption.UNENCRYPTED });
    });
    expect(broken.synthError?.message).toMatch(/AwsSolutions-SQS2/);
    const report = broken.report!.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    const rules = report.violations.filter((v) =>
      v.violatingConstructs.some((c) => c.constructPath.includes('NagCanary')),
    );
    expect(rules.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS4']));
  });
});
