import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, type RapportConfig } from './config';
import { RapportStack } from './rapport-stack';

export interface RapportApp {
  readonly app: App;
  readonly stack: RapportStack;
  readonly config: RapportConfig;
}

/**
 * Builds the CDK app: one env-agnostic `Rapport` stack (synth needs no credentials) and, unless the
 * context says `nag=false`, the cdk-nag AwsSolutions rule pack as a policy-validation plugin, which
 * fails `cdk synth` on any unacknowledged finding.
 */
export function createRapportApp(props: AppProps = {}): RapportApp {
  const app = new App(props);
  const config = loadConfig(app);
  const stack = new RapportStack(app, 'Rapport', {
    stackName: config.stackName,
    description: 'Rapport: customer records and satisfaction surveys (API Gateway, Lambda, DynamoDB, Cognito)',
    config,
  });
  if (config.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack, config };
}
