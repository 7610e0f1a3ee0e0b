import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

describe('admin user pool', () => {
  let s: Synthesised;
  let pool: { Properties: Record<string, CfnJson> };

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    pool = resourcesOf(s.template, 'AWS::Cognito::UserPool')[0]![1];
  });

  it('is invitation-only with a strong password policy', () => {
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });

  it('requires TOTP MFA by default and enforces threat protection', () => {
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolTier).toBe('PLUS');
    expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('has the admin and analyst groups', () => {
    const groups = resourcesOf(s.template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'analyst']);
  });

  it('has one public SRP client without a secret', () => {
    const clients = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const client = clients[0]![1].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('follows the adminMfa context key', () => {
    const optional = synthRapport({ adminMfa: 'OPTIONAL', nag: 'false' });
    const p = resourcesOf(optional.template, 'AWS::Cognito::UserPool')[0]![1];
    expect(p.Properties.MfaConfiguration).toBe('OPTIONAL');
    expect(p.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });
});
