import type { Database } from '../engine/database.js';
import { compile, evaluateCondition } from '../expressions/index.js';
import { type AttributeValue, DynamoError, type Item } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Statement } from '../partiql/parser.js';
import type { Plan } from '../partiql/translate.js';
import { type Action, perform, returnConsumedCapacity } from './common.js';
import { parametersShape, parse, plan, projectItem, statementShape, withoutExpressionNames } from './partiql.js';
import { TransactGetItems } from './TransactGetItems.js';
import { TransactWriteItems } from './TransactWriteItems.js';
import { type CancellationReason, MAX_ACTIONS, NO_REASON, cancelled, clientRequestToken } from './transactions.js';

interface Input {
  TransactStatements: { Statement: string; Parameters?: AttributeValue[] }[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: string;
}

/** The TransactWriteItems entry each write statement becomes. */
const WRITE_KIND = { PutItem: 'Put', UpdateItem: 'Update', DeleteItem: 'Delete' } as const;

export const ExecuteTransaction: Action<Input, { statements: Statement[] }> = {
  members: {
    TransactStatements: {
      type: 'list',
      notNull: true,
      minLength: 1,
      maxLength: MAX_ACTIONS,
      member: { type: 'struct', name: 'ParameterizedStatement', members: { Statement: statementShape, Parameters: parametersShape } },
    },
    ClientRequestToken: clientRequestToken,
    ReturnConsumedCapacity: returnConsumedCapacity,
  },

  check(input) {
    const statements: Statement[] = [];
    for (const [i, { Statement: text, Parameters }] of input.TransactStatements.entries()) {
      const statement = parse(text, Parameters);
      if (typeof statement === 'string') return statement;
      if (statement.kind === 'SELECT' && statement.index !== undefined) return msg.transactionStatement(i, msg.TRANSACTION_INDEX_READ);
      statements.push(statement);
    }
    const reads = statements.filter((s) => s.kind === 'SELECT').length;
    if (reads > 0 && reads < statements.length) return msg.TRANSACTION_READS_AND_WRITES;
    return { statements };
  },

  run(db: Database, input, { statements }) {
    const plans: (Plan | string)[] = statements.map((statement, i) => {
      const planned = plan(db, statement, input.TransactStatements[i]!.Parameters);
      return typeof planned === 'string' ? planned : planned.plan;
    });
    const extra: Record<string, unknown> = {};
    if (input.ReturnConsumedCapacity != null) extra.ReturnConsumedCapacity = input.ReturnConsumedCapacity;
    if (statements[0]!.kind === 'SELECT') return read(db, plans, extra);
    if (input.ClientRequestToken != null) extra.ClientRequestToken = input.ClientRequestToken;
    return write(db, plans, extra);
  },
};

/** All SELECTs: one TransactGetItems of the keys they pin; the rest of each WHERE filters its item. */
function read(db: Database, plans: (Plan | string)[], extra: Record<string, unknown>): unknown {
  const gets = plans.map((p, i) => {
    if (typeof p === 'string') throw new DynamoError('ValidationException', msg.transactionStatement(i, p));
    if (p.kind !== 'read' || p.key === undefined) throw new DynamoError('ValidationException', msg.transactionStatement(i, msg.TRANSACTION_SELECT_KEY));
    return { Get: { TableName: p.request.TableName, Key: p.key } };
  });
  const output = perform(db, TransactGetItems, { TransactItems: gets, ...extra }) as { Responses: { Item?: Item }[]; ConsumedCapacity?: unknown };
  const Responses = output.Responses.map(({ Item: item }, i) => {
    const p = plans[i] as Extract<Plan, { kind: 'read' }>;
    if (item === undefined || !passes(item, p.residual)) return {};
    return { Item: projectItem(item, p.projection) };
  });
  return output.ConsumedCapacity ? { Responses, ConsumedCapacity: output.ConsumedCapacity } : { Responses };
}

/** Whether an item meets the part of a SELECT's WHERE beyond its key. */
function passes(item: Item, residual: Record<string, unknown> | undefined): boolean {
  if (residual === undefined) return true;
  const compiled = compile(residual, ['ConditionExpression']);
  if ('message' in compiled) throw new DynamoError('ValidationException', withoutExpressionNames(compiled.message as string));
  return evaluateCondition(compiled.condition!, item);
}

/**
 * All writes: one TransactWriteItems. A statement that cannot run cancels the transaction with
 * its reason; a failed INSERT condition is reported as DuplicateItem.
 */
function write(db: Database, plans: (Plan | string)[], extra: Record<string, unknown>): unknown {
  if (plans.some((p) => typeof p === 'string')) {
    throw cancelled(plans.map((p) => (typeof p === 'string' ? { Code: 'ValidationError', Message: p } : NO_REASON)));
  }
  const writes = plans as Extract<Plan, { kind: 'write' }>[];
  const TransactItems = writes.map((p) => ({ [WRITE_KIND[p.action]]: p.request }));
  let output: { ConsumedCapacity?: unknown };
  try {
    output = perform(db, TransactWriteItems, { TransactItems, ...extra }) as { ConsumedCapacity?: unknown };
  } catch (error) {
    if (!(error instanceof DynamoError)) throw error;
    if (error.name === 'ValidationException') throw new DynamoError('ValidationException', withoutExpressionNames(error.message));
    if (error.name !== 'TransactionCanceledException') throw error;
    const reasons = (error as unknown as { CancellationReasons: CancellationReason[] }).CancellationReasons.map((reason, i): CancellationReason => {
      if (reason.Code === 'ConditionalCheckFailed' && writes[i]!.action === 'PutItem') return { Code: 'DuplicateItem', Message: msg.DUPLICATE_ITEM };
      return reason.Message === undefined ? reason : { ...reason, Message: withoutExpressionNames(reason.Message) };
    });
    throw cancelled(reasons);
  }
  const Responses = writes.map(() => ({}));
  return output.ConsumedCapacity ? { Responses, ConsumedCapacity: output.ConsumedCapacity } : { Responses };
}
