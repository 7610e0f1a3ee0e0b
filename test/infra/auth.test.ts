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

  it('has one public client without a secret: SRP and refresh tokens for scripts', () => {
    const clients = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const client = clients[0]![1].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('sets the console client’s OAuth explicitly: code grant only, openid email profile, back to the console', () => {
    const [clientId, { Properties: client }] = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient')[0]!;
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    // No implicit grant (tokens in URLs), no client credentials: authorization code, with PKCE from the console.
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    const [distributionId] = resourcesOf(s.template, 'AWS::CloudFront::Distribution')[0]!;
    const consoleRoot = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
    };
    expect(client.CallbackURLs).toEqual([consoleRoot]);
    expect(client.LogoutURLs).toEqual([consoleRoot]);
    expect(JSON.stringify(client)).not.toContain('example.com');
    // Managed login shows its pages for the client once it has a style.
    const brandings = resourcesOf(s.template, 'AWS::Cognito::ManagedLoginBranding');
    expect(brandings).toHaveLength(1);
    expect(brandings[0]![1].Properties).toMatchObject({ ClientId: { Ref: clientId }, UseCognitoProvidedValues: true });
  });

  it('has a managed-login domain, by default unique per stack, overridable from the context', () => {
    const domains = resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    const domain = domains[0]![1].Properties;
    expect(domain.ManagedLoginVersion).toBe(2);
    expect(JSON.stringify(domain.Domain)).toMatch(/^\{"Fn::Join":\["",\["rapport-",/);
    expect(JSON.stringify(domain.Domain)).toContain('AWS::StackId');
    const named = synthRapport({ ...NO_NAG, consoleDomainPrefix: 'acme-feedback' });
    expect(resourcesOf(named.template, 'AWS::Cognito::UserPoolDomain')[0]![1].Properties.Domain).toBe('acme-feedback');
  });

  it('keeps the client as the JWT authorizer’s audience (access tokens carry it as client_id)', () => {
    const [clientId] = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient')[0]!;
    const authorizer = resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer')[0]![1].Properties;
    expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
  });

  it('follows the adminMfa context key', () => {
    const optional = synthRapport({ adminMfa: 'OPTIONAL', nag: 'false' });
    const p = resourcesOf(optional.template, 'AWS::Cognito::UserPool')[0]![1];
    expect(p.Properties.MfaConfiguration).toBe('OPTIONAL');
    expect(p.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });
});
