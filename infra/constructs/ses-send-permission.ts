import { Arn, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { mailFromAddress } from '../config';
import type { RapportFunction } from './rapport-function';

/**
 * `ses:SendEmail` only on the sender's identity — the address, or its domain when the domain is what is
 * verified — and only with that From address. Every function that e-mails (the notifier, the webhook
 * sender) gets exactly this statement.
 */
export function grantSendEmail(fn: RapportFunction, mailFrom: string): void {
  const stack = Stack.of(fn);
  const address = mailFromAddress(mailFrom);
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const identity = (name: string) => Arn.format({ service: 'ses', resource: 'identity', resourceName: name }, stack);
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [identity(address), identity(domain)],
      conditions: { StringEquals: { 'ses:FromAddress': address } },
    }),
  );
}
