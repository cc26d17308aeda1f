/**
 * The one AST of DynamoDB's five expression kinds (Condition, Filter, KeyCondition, Projection,
 * Update), in two stages:
 *
 *   text --parse--> Parsed* (placeholders unresolved; cached by text, shared between requests)
 *        --bind (ExpressionAttributeNames / Values)--> resolved AST (below), evaluated per item
 *
 * The resolved AST holds attribute names and values themselves, so evaluation needs no context.
 */
import type { AttributeValue } from '../model/index.js';

/** One step of a document path: a map key / top-level attribute name, or a list index. */
export type PathElement = string | number;

/**
 * A document path: `a.b[3].c` is ['a', 'b', 3, 'c']. The first element is always a string (an
 * attribute name); `#n` placeholders are already replaced by their names.
 */
export type Path = PathElement[];

/** A value an operand produces. */
export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  /** size(path) as an operand of a comparison. */
  | { kind: 'size'; path: Path }
  /** UpdateExpression SET only: if_not_exists(path, operand). */
  | { kind: 'if_not_exists'; path: Path; operand: Operand }
  /** UpdateExpression SET only: list_append(operand, operand). */
  | { kind: 'list_append'; left: Operand; right: Operand }
  /** UpdateExpression SET only: operand + operand, operand - operand. */
  | { kind: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** ConditionExpression, FilterExpression and KeyConditionExpression. */
export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: Path }
  /** attribute_type(path, :type): the operand is a value whose S is one of S N B SS NS BS BOOL NULL L M. */
  | { kind: 'attribute_type'; path: Path; type: Operand }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; value: Operand };

/** UpdateExpression: its four clauses, each action in the order written. */
export interface Update {
  set: { path: Path; value: Operand }[];
  remove: Path[];
  /** ADD path :value (a number to add, or a set to union). */
  add: { path: Path; value: Operand }[];
  /** DELETE path :value (a set to subtract). */
  delete: { path: Path; value: Operand }[];
}

/** ProjectionExpression (and AttributesToGet): the paths to keep. */
export type Projection = Path[];
