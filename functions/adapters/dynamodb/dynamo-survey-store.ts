/**
 * Survey definitions in DynamoDB: the current definition (`SURVEY#id / DEFINITION`) and one immutable
 * snapshot per question version (`SURVEY#id / VERSION#000001`), written in the same transaction.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import { defaultNotifications } from '../../domain/notifications/notifications-schema';
import type { Survey, VersionedQuestion } from '../../domain/surveys/survey';
import type { SurveyStatus } from '../../domain/surveys/survey-schema';
import type { SurveyPage, SurveyStore } from '../../domain/surveys/survey-store';
import { decodeCursor, encodeCursor, isAfterId } from './cursor';
import { guarded } from './errors';
import { SURVEYS_PARTITION, surveyKeys } from './keys';
import { TransactionCancelled, transactWrite } from './transactions';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function fromSurveyItem(item: Record<string, unknown>): Survey {
  const { PK: _pk, SK: _sk, GSI1PK: _a, GSI1SK: _b, entity: _e, ...rest } = item;
  // Surveys stored before notifications existed have none: they get the defaults (nobody is told).
  const survey = rest as unknown as Survey;
  return survey.notifications ? survey : { ...survey, notifications: defaultNotifications() };
}

export class DynamoSurveyStore implements SurveyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(survey: Survey): Promise<void> {
    try {
      await transactWrite(this.db, [
        {
          Put: { TableName: this.tableName, Item: this.item(survey), ConditionExpression: 'attribute_not_exists(PK)' },
        },
        this.snapshot(survey),
      ]);
    } catch (err) {
      if (err instanceof TransactionCancelled) throw new ConflictError(`a survey with id ${survey.id} already exists`);
      throw err;
    }
  }

  async get(id: string): Promise<Survey | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: surveyKeys.definition(id) })),
    );
    return Item ? fromSurveyItem(Item) : undefined;
  }

  async getVersion(id: string, version: number): Promise<VersionedQuestion[] | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: surveyKeys.version(id, version) })),
    );
    return Item ? (Item.questions as VersionedQuestion[]) : undefined;
  }

  async update(previous: Survey, next: Survey): Promise<void> {
    const items: TxItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.item(next),
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':r': previous.revision },
        },
      },
    ];
    if (next.version !== previous.version || !previous.activatedAt) items.push(this.snapshot(next));
    try {
      await transactWrite(this.db, items);
    } catch (err) {
      if (err instanceof TransactionCancelled) {
        throw new PreconditionFailedError(
          `survey ${previous.id} changed while you edited it: read it again and reapply your change`,
        );
      }
      throw err;
    }
  }

  async list(options: { limit: number; cursor?: string; status?: SurveyStatus }): Promise<SurveyPage> {
    const result = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: {
            ':pk': SURVEYS_PARTITION,
            ...(options.status ? { ':status': options.status } : {}),
          },
          ...(options.status
            ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ScanIndexForward: false,
          Limit: options.limit,
          ...(options.cursor
            ? { ExclusiveStartKey: this.indexKey(decodeCursor(options.cursor, isAfterId).after) }
            : {}),
        }),
      ),
    );
    const items = (result.Items ?? []).map(fromSurveyItem);
    const last = result.LastEvaluatedKey?.GSI1SK;
    return { items, ...(typeof last === 'string' ? { nextCursor: encodeCursor({ after: last }) } : {}) };
  }

  private item(survey: Survey) {
    return { ...surveyKeys.definition(survey.id), ...surveyKeys.index(survey.id), entity: 'survey', ...survey };
  }

  private indexKey(id: string) {
    return { ...surveyKeys.definition(id), ...surveyKeys.index(id) };
  }

  /** Snapshots are immutable once the survey has been live; before that, version 1 is rewritten in place. */
  private snapshot(survey: Survey): TxItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...surveyKeys.version(survey.id, survey.version),
          entity: 'survey-version',
          questions: survey.questions,
        },
        ...(survey.activatedAt && survey.version > 1 ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
      },
    };
  }
}
