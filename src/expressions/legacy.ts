/**
 * The legacy request parameters that predate expressions (Expected, ConditionalOperator,
 * AttributesToGet, KeyConditions, QueryFilter, ScanFilter, AttributeUpdates): their validation,
 * with DynamoDB's messages (as dynalite recorded them from the service), and their translation
 * into the one expression AST, so a single evaluator runs both.
 */
import { type AttributeValue, type Item, validateAttributeValue } from '../model/index.js';
import { compareValues } from './compare.js';
import type { Condition, Operand, Projection, Update } from './ast.js';

const INVALID = 'One or more parameter values were invalid: ';

/** A Condition of KeyConditions, QueryFilter or ScanFilter. */
export interface LegacyCondition {
  ComparisonOperator: string;
  AttributeValueList?: AttributeValue[];
}

/** An ExpectedAttributeValue of Expected. */
export interface LegacyExpected {
  Value?: AttributeValue;
  Exists?: boolean;
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
}

export interface LegacyUpdate {
  Action?: 'PUT' | 'ADD' | 'DELETE';
  Value?: AttributeValue;
}

/** How many values each operator takes: a number, or [min, max]. */
const ARITY: Record<string, number | [number, number]> = {
  NULL: 0,
  NOT_NULL: 0,
  EQ: 1,
  NE: 1,
  LE: 1,
  LT: 1,
  GE: 1,
  GT: 1,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  BEGINS_WITH: 1,
  IN: [1, Infinity],
  BETWEEN: 2,
};

const TYPES: Record<string, readonly string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  NE: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'],
  LT: ['S', 'N', 'B'],
  GE: ['S', 'N', 'B'],
  GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'],
  NOT_CONTAINS: ['S', 'N', 'B'],
  BEGINS_WITH: ['S', 'B'],
  IN: ['S', 'N', 'B'],
  BETWEEN: ['S', 'N', 'B'],
};

const typeOf = (value: AttributeValue): string => Object.keys(value)[0];

function arityOk(operator: string, count: number): boolean {
  const arity = ARITY[operator];
  return typeof arity === 'number' ? count === arity : count >= arity[0] && count <= arity[1];
}

/**
 * Checks one operator's AttributeValueList: the values, their count, one type for all, the types
 * the operator takes (conditions only: Expected does not check them), and BETWEEN's order.
 */
function checkValueList(operator: string, values: AttributeValue[], checkTypes: boolean): string | undefined {
  for (const value of values) {
    const message = validateAttributeValue(value);
    if (message) return message;
  }
  if (!arityOk(operator, values.length)) return `${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`;
  if (values.length > 0) {
    const type = typeOf(values[0]);
    if (values.some((v) => typeOf(v) !== type)) return `${INVALID}AttributeValues inside AttributeValueList must be of same type`;
  }
  const allowed = checkTypes ? TYPES[operator] : undefined;
  for (const value of allowed ? values : []) {
    if (!allowed!.includes(typeOf(value))) return `${INVALID}ComparisonOperator ${operator} is not valid for ${typeOf(value)} AttributeValue type`;
  }
  if (operator === 'BETWEEN' && values.length === 2 && (compareValues(values[0], values[1]) ?? 0) > 0) {
    return 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound';
  }
  return undefined;
}

/** Checks KeyConditions, QueryFilter or ScanFilter; returns DynamoDB's message. */
export function checkConditions(conditions: Record<string, LegacyCondition> | undefined): string | undefined {
  for (const name in conditions) {
    const { ComparisonOperator: operator, AttributeValueList: values = [] } = conditions[name];
    const message = checkValueList(operator, values, true);
    if (message) return message;
  }
  return undefined;
}

/** Checks Expected; returns DynamoDB's message. */
export function checkExpected(expected: Record<string, LegacyExpected> | undefined): string | undefined {
  for (const name in expected) {
    const condition = expected[name];
    if (condition.AttributeValueList != null && condition.Value != null) {
      return `${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`;
    }
    if (condition.ComparisonOperator != null) {
      if (condition.Exists != null) return `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`;
      const operator = condition.ComparisonOperator;
      if (operator !== 'NULL' && operator !== 'NOT_NULL' && condition.AttributeValueList == null && condition.Value == null) {
        return `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`;
      }
      const values = condition.AttributeValueList ?? (condition.Value != null ? [condition.Value] : []);
      const message = checkValueList(operator, values, false);
      if (message) return message;
    } else if (condition.AttributeValueList != null) {
      return `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`;
    } else {
      const exists = condition.Exists == null || condition.Exists;
      if (exists && condition.Value == null) {
        return `${INVALID}Value must be provided when Exists is ${condition.Exists == null ? 'null' : condition.Exists} for Attribute: ${name}`;
      }
      if (!exists && condition.Value != null) return `${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`;
      if (condition.Value != null) {
        const message = validateAttributeValue(condition.Value);
        if (message) return message;
      }
    }
  }
  return undefined;
}

/** Checks AttributeUpdates; returns DynamoDB's message. */
export function checkAttributeUpdates(updates: Record<string, LegacyUpdate> | undefined): string | undefined {
  for (const name in updates) {
    const update = updates[name];
    if (update.Value != null) {
      const message = validateAttributeValue(update.Value);
      if (message) return message;
    }
    const action = update.Action ?? 'PUT';
    if (action !== 'DELETE' && update.Value == null) {
      return `${INVALID}Only DELETE action is allowed when no attribute value is specified`;
    }
    if (action === 'ADD' && update.Value != null && !['N', 'SS', 'NS', 'BS', 'L'].includes(typeOf(update.Value))) {
      return `${INVALID}ADD action is not supported for the type ${typeOf(update.Value)}`;
    }
    if (action === 'DELETE' && update.Value != null && !['SS', 'NS', 'BS'].includes(typeOf(update.Value))) {
      return `${INVALID}DELETE action with value is not supported for the type ${typeOf(update.Value)}`;
    }
  }
  return undefined;
}

/** Checks AttributesToGet; returns DynamoDB's message. */
export function checkAttributesToGet(names: string[] | undefined): string | undefined {
  if (!names) return undefined;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `${INVALID}Duplicate value in attribute name: ${name}`;
    seen.add(name);
  }
  return undefined;
}

const path = (name: string): Operand => ({ kind: 'path', path: [name] });
const value = (v: AttributeValue): Operand => ({ kind: 'value', value: v });

function condition(name: string, operator: string, values: AttributeValue[]): Condition {
  const attribute = path(name);
  switch (operator) {
    case 'EQ':
      return { kind: 'compare', op: '=', left: attribute, right: value(values[0]) };
    case 'NE':
      return { kind: 'compare', op: '<>', left: attribute, right: value(values[0]) };
    case 'LT':
      return { kind: 'compare', op: '<', left: attribute, right: value(values[0]) };
    case 'LE':
      return { kind: 'compare', op: '<=', left: attribute, right: value(values[0]) };
    case 'GT':
      return { kind: 'compare', op: '>', left: attribute, right: value(values[0]) };
    case 'GE':
      return { kind: 'compare', op: '>=', left: attribute, right: value(values[0]) };
    case 'NULL':
      return { kind: 'attribute_not_exists', path: [name] };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path: [name] };
    case 'CONTAINS':
      return { kind: 'contains', operand: attribute, value: value(values[0]) };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'contains', operand: attribute, value: value(values[0]) } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: attribute, prefix: value(values[0]) };
    case 'IN':
      return { kind: 'in', operand: attribute, list: values.map(value) };
    default:
      return { kind: 'between', operand: attribute, low: value(values[0]), high: value(values[1]) };
  }
}

function join(conditions: Condition[], operator: string | undefined): Condition | undefined {
  if (conditions.length === 0) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce((left, right) => ({ kind, left, right }));
}

/** QueryFilter or ScanFilter (or KeyConditions) joined by ConditionalOperator, as one Condition. */
export function conditionsToAst(conditions: Record<string, LegacyCondition>, operator?: string): Condition | undefined {
  return join(
    Object.entries(conditions).map(([name, c]) => condition(name, c.ComparisonOperator, c.AttributeValueList ?? [])),
    operator,
  );
}

/** Expected joined by ConditionalOperator, as one Condition. */
export function expectedToAst(expected: Record<string, LegacyExpected>, operator?: string): Condition | undefined {
  return join(
    Object.entries(expected).map(([name, c]) => {
      if (c.ComparisonOperator != null) return condition(name, c.ComparisonOperator, c.AttributeValueList ?? (c.Value != null ? [c.Value] : []));
      if (c.Exists === false) return condition(name, 'NULL', []);
      return condition(name, 'EQ', [c.Value!]);
    }),
    operator,
  );
}

/** AttributeUpdates as an UpdateExpression: PUT is SET, ADD is ADD, DELETE with a value is DELETE, without is REMOVE. */
export function attributeUpdatesToAst(updates: Record<string, LegacyUpdate>): Update {
  const update: Update = { set: [], remove: [], add: [], delete: [] };
  for (const [name, { Action: action = 'PUT', Value: v }] of Object.entries(updates)) {
    if (action === 'PUT') update.set.push({ path: [name], value: value(v!) });
    // Legacy ADD also appends to lists, which the expression ADD does not do.
    else if (action === 'ADD' && 'L' in v!) update.set.push({ path: [name], value: { kind: 'list_append', left: { kind: 'if_not_exists', path: [name], operand: value({ L: [] }) }, right: value(v) } });
    else if (action === 'ADD') update.add.push({ path: [name], value: value(v!) });
    else if (v != null) update.delete.push({ path: [name], value: value(v) });
    else update.remove.push([name]);
  }
  return update;
}

/** AttributesToGet as a projection of top-level attributes. */
export function attributesToGetToProjection(names: string[]): Projection {
  return names.map((name) => [name]);
}

export type { Item };
