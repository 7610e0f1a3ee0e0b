import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { CognitoFeaturePlan, MfaMode } from '../config';

/** Groups carried in the `cognito:groups` claim: `admin` writes, `analyst` reads. */
export const adminGroups = ['admin', 'analyst'] as const;

export interface AdminAuthProps {
  readonly mfa: MfaMode;
  readonly featurePlan: CognitoFeaturePlan;
}

/**
 * The Cognito user pool of admins and analysts: invitation only (no self sign-up), strong passwords,
 * TOTP MFA, threat protection on the PLUS plan, and one public app client (SRP + refresh tokens) for
 * the admin console.
 */
export class AdminAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

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

    this.client = this.userPool.addClient('AdminConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
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
