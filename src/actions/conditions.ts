/** Conditional writes: ConditionExpression or the legacy Expected, checked against the item in place. */
import type { Condition } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/index.js';
import { type LegacyExpected, checkExpected, expectedToAst } from '../expressions/legacy.js';
import { type Item, DynamoError } from '../model/index.js';
import { checkMixing, compileExpressions } from './expressions.js';

export interface ConditionalInput {
  ConditionExpression?: string;
  Expected?: Record<string, LegacyExpected>;
  ConditionalOperator?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

/**
 * The write's condition (from ConditionExpression or Expected), or DynamoDB's message. Other
 * expression kinds the action accepts (UpdateExpression) compile in the same pass.
 */
export function compileCondition(
  input: ConditionalInput & Record<string, unknown>,
  legacy: readonly string[] = ['Expected'],
  kinds: readonly ('UpdateExpression' | 'ConditionExpression')[] = ['ConditionExpression'],
): string | { condition?: Condition; update?: import('../expressions/ast.js').Update } {
  const mixed = checkMixing(input, kinds, legacy);
  if (mixed) return mixed;
  const expected = checkExpected(input.Expected);
  if (expected) return expected;
  const compiled = compileExpressions(input, kinds);
  if (typeof compiled === 'string') return compiled;
  return {
    condition: compiled.condition ?? (input.Expected && expectedToAst(input.Expected, input.ConditionalOperator)),
    update: compiled.update,
  };
}

/** Throws ConditionalCheckFailedException when the condition does not hold for the item in place. */
export function enforce(condition: Condition | undefined, old: () => Item | undefined, input: ConditionalInput): void {
  if (!condition) return;
  const item = old();
  if (evaluateCondition(condition, item)) return;
  const error = new DynamoError('ConditionalCheckFailedException', 'The conditional request failed');
  // ReturnValuesOnConditionCheckFailure ALL_OLD: the item as it was rides on the error.
  if (input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && item) Object.assign(error, { Item: item });
  throw error;
}
