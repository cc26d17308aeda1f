/**
 * DynamoDB's expressions: parse and bind (compile.ts, parser.ts), then evaluate, project and
 * update against items.
 */
export type { Comparator, Condition, Operand, Path, PathElement, Projection, Update } from './ast.js';
export { compile, type Compiled, type ExpressionKind, type ExpressionRequest } from './compile.js';
export { parse, MAX_EXPRESSION_BYTES, MAX_IN_OPERANDS, MAX_OPERATORS, MAX_PATH_DEPTH, type Parsed } from './parser.js';
export { isReservedWord } from './reserved.js';
export { evaluateCondition } from './evaluate.js';
export { project } from './project.js';
export { applyUpdate } from './update.js';
