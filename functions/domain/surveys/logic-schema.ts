/**
 * The zod schema of survey logic: conditions on earlier answers (`showIf`) and "end the survey after
 * this answer" (`endIf`). branching.ts evaluates them; survey-schema.ts checks that each condition
 * names an earlier question and fits its type.
 */
import * as z from 'zod';

export const LOGIC_LIMITS = { conditions: 10, values: 20 } as const;

export const CONDITION_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'answered', 'unanswered'] as const;
export const conditionOpSchema = z.enum(CONDITION_OPS);
export type ConditionOp = z.infer<typeof conditionOpSchema>;

/**
 * Whether an op's value has the type the op needs: a condition that cannot be evaluated would silently
 * match nobody (or everybody), so it is refused where it is written. Survey logic and audience rules
 * (targeting-schema.ts) share the ops, so they share this check.
 */
export function checkOpValue(c: { op: ConditionOp; value?: unknown }, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
  if (c.op === 'answered' || c.op === 'unanswered') {
    if (c.value !== undefined) issue(`takes no value with op ${c.op}`);
  } else if (c.op === 'in') {
    if (!Array.isArray(c.value)) issue('must be a list with op in');
  } else if (c.op === 'eq' || c.op === 'ne') {
    if (c.value === undefined || Array.isArray(c.value)) issue(`must be one value with op ${c.op}`);
  } else if (typeof c.value !== 'number') issue(`must be a number with op ${c.op}`);
}

const scalar = z.union([z.number(), z.string().max(200), z.boolean()]);

export const conditionSchema = z
  .strictObject({
    question: z.string().max(64).describe('id of an earlier question (endIf: also the question itself)'),
    op: conditionOpSchema,
    value: z
      .union([scalar, z.array(scalar).min(1).max(LOGIC_LIMITS.values)])
      .optional()
      .describe('a number for lt/lte/gt/gte, a list for in, nothing for answered/unanswered'),
  })
  .superRefine((c, ctx) => checkOpValue(c, ctx));
export type Condition = z.infer<typeof conditionSchema>;

const conditions = z.array(conditionSchema).min(1).max(LOGIC_LIMITS.conditions);
/** Every condition (`all`) or at least one (`any`). */
export const logicSchema = z.union([z.strictObject({ all: conditions }), z.strictObject({ any: conditions })]);
export type Logic = z.infer<typeof logicSchema>;
