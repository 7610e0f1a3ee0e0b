import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, type RapportConfig } from './config';
import { EDGE_REGION, RapportEdgeStack } from './edge-stack';
import { RapportStack } from './rapport-stack';

export interface RapportApp {
  readonly app: App;
  readonly stack: RapportStack;
  /** The us-east-1 stack holding the WebACL, when the main stack is in another region and WAF is on. */
  readonly edge: RapportEdgeStack | undefined;
  readonly config: RapportConfig;
}

/**
 * Builds the CDK app and, unless the context says `nag=false`, the cdk-nag AwsSolutions rule pack as a
 * policy-validation plugin, which fails `cdk synth` on any unacknowledged finding. Synth needs no
 * credentials: no account is pinned (the CLI deploys into the current one) and nothing is looked up.
 *
 * Layouts, by the `region` context key (or CDK_DEFAULT_REGION):
 * - unset: one region-agnostic stack; the WebACL is in it, so it deploys to us-east-1 only;
 * - us-east-1: one stack, WebACL included;
 * - any other region: the main stack there, and `<stackName>-edge` in us-east-1 with the WebACL,
 *   whose ARN the main stack reads through a cross-region reference.
 */
export function createRapportApp(props: AppProps = {}, env: NodeJS.ProcessEnv = process.env): RapportApp {
  const app = new App(props);
  const config = loadConfig(app, env);
  const split = config.waf && config.region !== undefined && config.region !== EDGE_REGION;
  const edge = split
    ? new RapportEdgeStack(app, 'RapportEdge', {
        stackName: `${config.stackName}-edge`,
        description: 'Rapport front door in us-east-1: the WAF WebACL of the CloudFront distribution and its alarms',
        env: { region: EDGE_REGION },
        crossRegionReferences: true,
        config,
      })
    : undefined;
  const stack = new RapportStack(app, 'Rapport', {
    stackName: config.stackName,
    description:
      'Rapport: customer records and satisfaction surveys (CloudFront, WAF, API Gateway, Lambda, DynamoDB, Cognito)',
    ...(config.region ? { env: { region: config.region } } : {}),
    ...(edge ? { crossRegionReferences: true, edgeWebAcl: edge.webAcl } : {}),
    config,
  });
  if (config.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack, edge, config };
}
