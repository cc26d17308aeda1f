import type { Database } from '../engine/database.js';
import { type AttributeValue, DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Statement } from '../partiql/parser.js';
import { type Action, returnConsumedCapacity } from './common.js';
import { execute, fingerprintOf, parametersShape, parse, plan, select, statementShape } from './partiql.js';

interface Input {
  Statement: string;
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  NextToken?: string;
  ReturnConsumedCapacity?: string;
  Limit?: number;
  ReturnValuesOnConditionCheckFailure?: string;
}

export const ExecuteStatement: Action<Input, Statement> = {
  members: {
    Statement: statementShape,
    Parameters: parametersShape,
    ConsistentRead: { type: 'boolean' },
    NextToken: { type: 'string', minLength: 1, maxLength: 32768 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    Limit: { type: 'integer', min: 1 },
    ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
  },

  check(input) {
    const statement = parse(input.Statement, input.Parameters);
    if (typeof statement === 'string') return statement;
    if (statement.kind !== 'SELECT' && input.NextToken != null) return msg.NEXT_TOKEN_NOT_SELECT;
    return statement;
  },

  run(db: Database, input, statement) {
    const planned = plan(db, statement, input.Parameters);
    if (typeof planned === 'string') throw new DynamoError('ValidationException', planned);
    const { table, plan: p } = planned;
    if (p.kind === 'read') {
      const index = p.request.IndexName === undefined ? undefined : table.index(p.request.IndexName as string);
      if (input.ConsistentRead && index?.definition.global) throw new DynamoError('ValidationException', msg.GSI_CONSISTENT_READ);
      return select(db, p, fingerprintOf(input.Statement, input.Parameters), input);
    }
    const extra: Record<string, unknown> = {};
    if (input.ReturnConsumedCapacity != null) extra.ReturnConsumedCapacity = input.ReturnConsumedCapacity;
    if (input.ReturnValuesOnConditionCheckFailure != null && p.action !== 'PutItem') extra.ReturnValuesOnConditionCheckFailure = input.ReturnValuesOnConditionCheckFailure;
    const output = execute(db, p, extra);
    return output.ConsumedCapacity ? { Items: [], ConsumedCapacity: output.ConsumedCapacity } : { Items: [] };
  },
};
