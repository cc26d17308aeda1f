/** The expression parameters of an action: mixing rules, compiling, legacy translation. */
import { type Compiled, type ExpressionKind, compile } from '../expressions/index.js';
import type { Shape } from './shape.js';

/**
 * "Can not use both expression and non-expression parameters": checked before anything else in
 * the expression parameters (dynalite's order, as recorded from the service).
 */
export function checkMixing(input: Record<string, unknown>, expressions: readonly string[], legacy: readonly string[]): string | undefined {
  const usedExpressions = expressions.filter((name) => input[name] != null);
  if (usedExpressions.length === 0) return undefined;
  // KeyConditions may go with the other expressions when there is no KeyConditionExpression.
  const usedLegacy = legacy.filter((name) => input[name] != null && !(name === 'KeyConditions' && input.KeyConditionExpression == null));
  if (usedLegacy.length === 0) return undefined;
  return (
    'Can not use both expression and non-expression parameters in the same request: ' +
    `Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpressions.join(', ')}}`
  );
}

/** Compiles the request's expressions of these kinds; a string is DynamoDB's message. */
export function compileExpressions(input: Record<string, unknown>, kinds: readonly ExpressionKind[]): Compiled | string {
  let any = input.ExpressionAttributeNames != null || input.ExpressionAttributeValues != null;
  for (const kind of kinds) any ||= input[kind] != null;
  if (!any) return {};
  const compiled = compile(input, kinds);
  return 'message' in compiled ? (compiled.message as string) : compiled;
}

export const expressionString: Shape = { type: 'string' };
export const expressionNames: Shape = { type: 'map', javaValueType: 'java.lang.String', value: { type: 'string' } };
export const conditionalOperator: Shape = { type: 'string', enum: ['OR', 'AND'] };

const COMPARISON_OPERATORS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'];
const attributeValueList: Shape = { type: 'list', member: { type: 'attributeValue' } };

/** KeyConditions, QueryFilter and ScanFilter. */
export const conditions: Shape = {
  type: 'map',
  javaValueType: 'com.amazonaws.dynamodb.v20120810.Condition',
  value: {
    type: 'struct',
    name: 'Condition',
    members: {
      AttributeValueList: attributeValueList,
      ComparisonOperator: { type: 'string', notNull: true, enum: COMPARISON_OPERATORS },
    },
  },
};

export const expected: Shape = {
  type: 'map',
  javaValueType: 'com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue',
  value: {
    type: 'struct',
    name: 'ExpectedAttributeValue',
    members: {
      AttributeValueList: attributeValueList,
      ComparisonOperator: { type: 'string', enum: COMPARISON_OPERATORS },
      Exists: { type: 'boolean' },
      Value: { type: 'attributeValue' },
    },
  },
};

export const attributesToGet: Shape = { type: 'list', minLength: 1, maxLength: 255, member: { type: 'string' } };
