/**
 * The expression front end's messages, word for word as DynamoDB sends them (the trailing
 * semicolons and odd spacing included). Sources, as in src/model/messages.ts:
 *   conformance  nubo-db/dynamodb-conformance, asserted against DynamoDB
 *   dynalite     mhart/dynalite's parsers and test suite, written against DynamoDB
 *   alternator   ScyllaDB's test/alternator suite, which quotes DynamoDB's replies
 *   issues       messages users quoted from DynamoDB in public issue threads
 * Messages about one expression are prefixed by `Invalid <Kind>: ` (see `invalid`).
 */
import type { PathElement } from './ast.js';

/** `Invalid UpdateExpression: ...` and so on. */
export const invalid = (kind: string, message: string): string => `Invalid ${kind}: ${message}`;

// --- Request parameters (dynalite validateExpressionParams / validateExpressions) ---

export const NAMES_WITHOUT_EXPRESSIONS = 'ExpressionAttributeNames can only be specified when using expressions'; // dynalite
/** `kinds`: the expressions that take values, in the action's order. */
export const valuesWithoutExpressions = (kinds: readonly string[]): string =>
  `ExpressionAttributeValues can only be specified when using expressions: ${kinds.join(' and ')} ${kinds.length > 1 ? 'are' : 'is'} null`; // conformance, dynalite
export const NAMES_EMPTY = 'ExpressionAttributeNames must not be empty'; // dynalite
export const VALUES_EMPTY = 'ExpressionAttributeValues must not be empty'; // dynalite
export const invalidNameKey = (key: string): string =>
  `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`; // dynalite
export const invalidValueKey = (key: string): string =>
  `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`; // dynalite
export const invalidValue = (message: string, key: string): string =>
  `ExpressionAttributeValues contains invalid value: ${message} for key ${key}`; // dynalite
/** Unsure: alternator only asserts "Empty attribute name"; the frame copies the invalid-value message's. */
export const emptyName = (key: string): string =>
  `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`;
export const unusedNames = (keys: readonly string[]): string =>
  `Value provided in ExpressionAttributeNames unused in expressions: keys: {${keys.join(', ')}}`; // conformance, dynalite
export const unusedValues = (keys: readonly string[]): string =>
  `Value provided in ExpressionAttributeValues unused in expressions: keys: {${keys.join(', ')}}`; // conformance, dynalite

// --- One expression: size, syntax, limits (prefixed by `invalid`) ---

export const EMPTY = 'The expression can not be empty;'; // conformance, dynalite
export const tooLarge = (bytes: number): string =>
  `Expression size has exceeded the maximum allowed size; expression size: ${bytes}`; // alternator, issues
export const syntaxError = (token: string, near: string): string =>
  `Syntax error; token: "${token}", near: "${near}"`; // conformance, issues
export const tooManyOperators = (count: number): string =>
  `The expression contains too many operators; operator count: ${count}`; // alternator, issues
export const tooManyInOperands = (count: number): string =>
  `The IN operator is provided with too many operands; number of operands: ${count}`; // issues
export const pathTooDeep = (levels: number): string =>
  `The document path has too many nesting levels; nesting levels: ${levels}`; // alternator
export const indexOutOfRange = (digits: string): string =>
  `List index is not within the allowable range; index: [${digits}]`; // alternator
export const REDUNDANT_PARENTHESES = 'The expression has redundant parentheses;'; // dynalite, alternator
export const reservedKeyword = (name: string): string =>
  `Attribute name is a reserved keyword; reserved keyword: ${name}`; // dynalite, REFERENCE
export const sectionRepeated = (section: string): string =>
  `The "${section}" section can only be used once in an update expression;`; // dynalite

// --- Functions and operands ---

export const unknownFunction = (name: string): string => `Invalid function name; function: ${name}`; // dynalite, alternator
export const functionMisused = (name: string): string =>
  `The function is not allowed to be used this way in an expression; function: ${name}`; // dynalite, alternator
export const functionNotInUpdate = (name: string): string =>
  `The function is not allowed in an update expression; function: ${name}`; // brief; other emulators agree
export const functionNotInCondition = (name: string): string =>
  `The function is not allowed in a condition expression; function: ${name}`; // other emulators; unsure
export const operandCount = (name: string, count: number): string =>
  `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`; // dynalite, alternator
export const requiresPath = (name: string): string =>
  `Operator or function requires a document path; operator or function: ${name}`; // dynalite, alternator
export const operandType = (name: string, type: string): string =>
  `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`; // dynalite, alternator
/** ADD and DELETE name the value's type in words: STRING, NUMBER, BINARY, NULL, BOOLEAN, LIST, MAP. */
export const actionOperandType = (action: 'ADD' | 'DELETE', type: string): string =>
  `Incorrect operand type for operator or function; operator: ${action}, operand type: ${type}`; // dynalite, alternator
export const invalidTypeName = (type: string): string =>
  `Invalid attribute type name found; type: ${type}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`; // dynalite
/** What attribute_type reports when its type operand is not a value (dynalite). */
export const ANY_TYPE = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';
export const operandsNotDistinct = (operator: string, path: readonly PathElement[]): string =>
  `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(path)}`; // dynalite
export const betweenTypes = (low: string, high: string): string =>
  `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: ${low}, upper bound operand: AttributeValue: ${high}`; // dynalite
export const betweenOrder = (low: string, high: string): string =>
  `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${low}, upper bound operand: AttributeValue: ${high}`; // dynalite

// --- Placeholders ---

export const undefinedName = (name: string): string =>
  `An expression attribute name used in the document path is not defined; attribute name: ${name}`; // conformance, dynalite
export const undefinedValue = (name: string): string =>
  `An expression attribute value used in expression is not defined; attribute value: ${name}`; // conformance, dynalite

// --- Document paths of one update or projection ---

export const pathsOverlap = (one: readonly PathElement[], two: readonly PathElement[]): string =>
  `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`; // REFERENCE, dynalite, alternator
export const pathsConflict = (one: readonly PathElement[], two: readonly PathElement[]): string =>
  `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`; // dynalite, alternator

/** DynamoDB's rendering of a path in messages: a.b[3] is "[a, b, [3]]". */
export function pathText(path: readonly PathElement[]): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

// --- KeyConditionExpression structure (dynalite; sent without the `Invalid <Kind>: ` prefix) ---

export const keyInvalidOperator = (operator: string): string =>
  `Invalid operator used in KeyConditionExpression: ${operator}`; // dynalite, issues
export const KEY_NESTED_OPERATIONS = 'KeyConditionExpressions cannot contain nested operations';
export const keyFirstOperand = (operator: string): string =>
  `Invalid condition in KeyConditionExpression: ${operator} operator must have the key attribute as its first operand`;
export const KEY_MULTIPLE_NAMES = 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition';
export const KEY_NESTED_ATTRIBUTES = 'KeyConditionExpressions cannot have conditions on nested attributes';
export const KEY_NO_ATTRIBUTE = 'Invalid condition in KeyConditionExpression: No key attribute specified';
export const KEY_ONE_CONDITION_PER_KEY = 'KeyConditionExpressions must only contain one condition per key';
