/**
 * The function's structured logger (Powertools). Log lines carry ids, routes, statuses and timings,
 * never request bodies: e-mails, phones and free text stay out of the logs.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rapport' });
