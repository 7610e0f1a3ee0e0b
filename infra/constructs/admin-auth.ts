import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { CognitoFeaturePlan, MfaMode } from '../config';

/** Groups carried in the `cognito:groups` claim: `admin` writes, `analyst` reads (docs/design.md §9). */
export const adminGroups = ['admin', 'analyst'] as const;

/** What the console asks for at sign-in (the OIDC `scope`). */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

export interface AdminAuthProps {
  readonly mfa: MfaMode;
  readonly featurePlan: CognitoFeaturePlan;
  /** Where the console is served (`https://<front door>`, no trailing slash): sign-in returns to `<consoleUrl>/`. */
  readonly consoleUrl: string;
  /** Prefix of the managed-login domain; undefined = `rapport-<first 8 hex digits of the stack id>`. */
  readonly domainPrefix: string | undefined;
}

/**
 * The Cognito user pool of admins and analysts: invitation only (no self sign-up), strong passwords,
 * TOTP MFA, threat protection on the PLUS plan; Cognito managed login on a Cognito domain; and one
 * public app client for the admin console with explicit OAuth: authorization code grant only (the
 * console adds PKCE; no implicit grant, no secret), scopes openid email profile, callback and sign-out
 * URL = the console. SRP and refresh tokens stay allowed for scripts and the refresh flow.
 */
export class AdminAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** `<consoleUrl>/`: the console's redirect and post-logout URI. */
  readonly redirectUri: string;

  constructor(scope: Construct, id: string, props: AdminAuthProps) {
    super(scope, id);
    const plus = props.featurePlan === 'PLUS';

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfa === 'REQUIRED' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const group of adminGroups) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === 'admin' ? 'Reads and writes every admin route' : 'Reads customers, surveys and reports',
      });
    }

    // Unique per stack without a lookup: the first group of the stack id's UUID (lowercase hex).
    const stackUuid = Fn.select(2, Fn.split('/', Stack.of(this).stackId));
    const domainPrefix = props.domainPrefix ?? `rapport-${Fn.select(0, Fn.split('-', stackUuid))}`;
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.redirectUri = `${props.consoleUrl}/`;
    this.client = this.userPool.addClient('AdminConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // Set explicitly: CDK's defaults would allow the implicit grant and an example.com callback.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: CONSOLE_SCOPES.map((scope) => OAuthScope.custom(scope)),
        callbackUrls: [this.redirectUri],
        logoutUrls: [this.redirectUri],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // Managed login shows its pages for a client only once the client has a style: Cognito's own.
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    if (props.mfa === 'OPTIONAL') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG2',
        reason:
          'MFA was set to OPTIONAL for this deployment through the adminMfa context key (default REQUIRED); TOTP stays available to every user.',
      });
    }
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG8',
        reason:
          'The ESSENTIALS feature plan was chosen for this deployment through the cognitoFeaturePlan context key (default PLUS with threat protection enforced).',
      });
    }
  }
}

/** The OIDC scope string of the console (`openid email profile`). */
export const consoleScope = CONSOLE_SCOPES.join(' ');
