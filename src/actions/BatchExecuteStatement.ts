import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { type AttributeValue, DynamoError, type Item } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Plan } from '../partiql/translate.js';
import { type Action, checkValues, returnConsumedCapacity } from './common.js';
import { errorCode, execute, parametersShape, parse, plan, projectItem, statementShape } from './partiql.js';
import { itemId } from './transactions.js';

interface Member {
  Statement: string;
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface Input {
  Statements: Member[];
  ReturnConsumedCapacity?: string;
}

/** One statement, as far as it got before running: a failure to report, or a table and a plan. */
type Prepared = { error: { Code: string; Message: string } } | { table: Table; plan: Plan };

export const BatchExecuteStatement: Action<Input> = {
  members: {
    Statements: {
      type: 'list',
      notNull: true,
      minLength: 1,
      maxLength: 25,
      member: {
        type: 'struct',
        name: 'BatchStatementRequest',
        members: {
          Statement: statementShape,
          Parameters: parametersShape,
          ConsistentRead: { type: 'boolean' },
          ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
        },
      },
    },
    ReturnConsumedCapacity: returnConsumedCapacity,
  },

  run(db: Database, input) {
    const statements = input.Statements.map((member) => parse(member.Statement, member.Parameters));
    // A batch is all reads or all writes, refused whole before anything runs (dynoxide, captured).
    const reads = statements.filter((s) => typeof s !== 'string' && s.kind === 'SELECT').length;
    const parsed = statements.filter((s) => typeof s !== 'string').length;
    if (reads > 0 && reads < parsed) throw new DynamoError('ValidationException', msg.BATCH_READS_AND_WRITES);

    const prepared: Prepared[] = statements.map((statement, i) => {
      if (typeof statement === 'string') return { error: { Code: 'ValidationError', Message: statement } };
      try {
        const planned = plan(db, statement, input.Statements[i]!.Parameters);
        return typeof planned === 'string' ? { error: { Code: 'ValidationError', Message: planned } } : planned;
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error;
        return { error: { Code: errorCode(error), Message: error.message } };
      }
    });
    const seen = new Set<string>();
    for (const entry of prepared) {
      if (!('plan' in entry) || entry.plan.key === undefined || !isValidKey(entry.table, entry.plan.key)) continue;
      const id = itemId(entry.table, entry.plan.key);
      if (seen.has(id)) throw new DynamoError('ValidationException', msg.BATCH_DUPLICATE_KEYS);
      seen.add(id);
    }

    const capacity = new Map<string, Record<string, unknown>>();
    const Responses = prepared.map((entry, i) => {
      if ('error' in entry) return { Error: entry.error };
      const { table, plan: p } = entry;
      const member = input.Statements[i]!;
      // A batch reads single items: the WHERE must pin the primary key (dynoxide, captured).
      if (p.kind === 'read' && p.key === undefined) return { Error: { Code: 'ValidationError', Message: msg.BATCH_SELECT_KEY } };
      const extra: Record<string, unknown> = {};
      if (input.ReturnConsumedCapacity != null) extra.ReturnConsumedCapacity = input.ReturnConsumedCapacity;
      if (p.kind === 'read' && member.ConsistentRead != null) extra.ConsistentRead = member.ConsistentRead;
      try {
        const output = execute(db, p, extra);
        if (output.ConsumedCapacity) addCapacity(capacity, output.ConsumedCapacity as Record<string, unknown>);
        const item = p.action === 'GetItem' ? (output.Item as Item | undefined) : (output.Items as Item[] | undefined)?.[0];
        return item ? { TableName: table.name, Item: projectItem(item, p.kind === 'read' ? p.projection : undefined) } : { TableName: table.name };
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error;
        const Code = errorCode(error);
        // The table is echoed on a statement that ran and failed, not on one refused as invalid (dynoxide, captured).
        return Code === 'ValidationError' ? { Error: { Code, Message: error.message } } : { TableName: table.name, Error: { Code, Message: error.message } };
      }
    });
    return capacity.size > 0 ? { Responses, ConsumedCapacity: [...capacity.values()] } : { Responses };
  },
};

function isValidKey(table: Table, key: Item): boolean {
  return checkValues(key) === undefined && table.checkKey(key) === undefined;
}

/** Adds one statement's ConsumedCapacity into the batch's, per table: totals, table and index units. */
function addCapacity(into: Map<string, Record<string, unknown>>, report: Record<string, unknown>): void {
  const name = report.TableName as string;
  const sum = into.get(name);
  if (sum === undefined) {
    into.set(name, structuredClone(report));
    return;
  }
  addUnits(sum, report);
}

function addUnits(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'number') into[key] = ((into[key] as number | undefined) ?? 0) + value;
    else if (value !== null && typeof value === 'object') addUnits((into[key] ??= {}) as Record<string, unknown>, value as Record<string, unknown>);
  }
}
