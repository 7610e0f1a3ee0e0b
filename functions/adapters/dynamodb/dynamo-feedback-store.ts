import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerFeedback, FeedbackStore } from '../../domain/customers/feedback';
import { guarded } from './errors';
import { feedbackKeys } from './keys';

export class DynamoFeedbackStore implements FeedbackStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(customerId: string): Promise<CustomerFeedback> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: feedbackKeys.item(customerId) })),
    );
    const count = typeof Item?.feedbackCount === 'number' ? Item.feedbackCount : 0;
    const scored = typeof Item?.scoredCount === 'number' ? Item.scoredCount : 0;
    const sum = typeof Item?.scoreSum === 'number' ? Item.scoreSum : 0;
    const last = Item?.lastScore as { value: number; min: number; max: number } | undefined;
    return {
      count,
      ...(last ? { lastScore: { ...last, surveyId: String(Item?.lastSurveyId), at: String(Item?.latestAt) } } : {}),
      averageSatisfaction: scored ? Math.round((sum / scored) * 10) / 10 : null,
    };
  }
}
