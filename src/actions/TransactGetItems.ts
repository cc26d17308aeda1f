import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import type { Projection } from '../expressions/ast.js';
import { project } from '../expressions/index.js';
import { type Item, DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, admits, attributeMap, charge, dataTableName, readUnits, returnConsumedCapacity } from './common.js';
import { expressionNames, expressionString } from './expressions.js';
import { type CancellationReason, MAX_ACTIONS, NO_REASON, addUnits, cancelled, checkValues, compileAction, itemId, transactionCapacity } from './transactions.js';

interface Get {
  TableName: string;
  Key: Item;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

interface Input {
  TransactItems: { Get: Get }[];
  ReturnConsumedCapacity?: string;
}

export const TransactGetItems: Action<Input, { projections: (Projection | undefined)[] }> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TransactItems: {
      type: 'list',
      notNull: true,
      minLength: 1,
      maxLength: MAX_ACTIONS,
      member: {
        type: 'struct',
        name: 'TransactGetItem',
        members: {
          Get: {
            type: 'struct',
            name: 'Get',
            notNull: true,
            members: { Key: attributeMap(true), TableName: dataTableName, ProjectionExpression: expressionString, ExpressionAttributeNames: expressionNames },
          },
        },
      },
    },
  },

  check(input) {
    const projections: (Projection | undefined)[] = [];
    for (const { Get: get } of input.TransactItems) {
      const compiled = compileAction(get as unknown as Record<string, unknown>, ['ProjectionExpression']);
      if (typeof compiled === 'string') return compiled;
      projections.push(compiled.projection);
    }
    return { projections };
  },

  run(db: Database, input, { projections }) {
    // Unlike TransactWriteItems, every key failure (an empty value too) is a cancellation reason
    // (conformance: an empty Key; dynoxide, captured). A missing table fails the request.
    const tables: Table[] = [];
    const reasons: CancellationReason[] = [];
    let failed = false;
    for (const { Get: get } of input.TransactItems) {
      const table = db.table(get.TableName);
      tables.push(table);
      const message = checkValues(get.Key) ?? table.checkKey(get.Key);
      failed ||= message !== undefined;
      reasons.push(message === undefined ? NO_REASON : { Code: 'ValidationError', Message: message });
    }
    if (failed) throw cancelled(reasons);

    const seen = new Set<string>();
    input.TransactItems.forEach(({ Get: get }, i) => {
      const id = itemId(tables[i]!, get.Key);
      if (seen.has(id)) throw new DynamoError('ValidationException', msg.MULTIPLE_OPERATIONS_ON_ONE_ITEM);
      seen.add(id);
    });
    // A provisioned table out of read capacity cancels the transaction, as for writes.
    const readable = new Map(tables.map((table) => [table!, admits(db, table!, 'read')]));
    if ([...readable.values()].includes(false)) {
      throw cancelled(tables.map((table) => (readable.get(table!) ? NO_REASON : { Code: 'ProvisionedThroughputExceeded', Message: msg.TABLE_THROUGHPUT_EXCEEDED })));
    }

    const units = new Map<string, number>();
    const Responses = input.TransactItems.map(({ Get: get }, i) => {
      const table = tables[i]!;
      const item = table.get(get.Key);
      // Every requested item is charged, a missing one as a read of 0 bytes (dynoxide, captured).
      addUnits(units, table.name, 2 * readUnits(item ? table.lastReadSize : 0, true));
      charge(db, table, 'read', 2 * readUnits(item ? table.lastReadSize : 0, true));
      const projection = projections[i];
      const found = item && projection ? project(item, projection) : item;
      // A projection that matches nothing on a present item returns no Item (dynoxide, from the conformance suite).
      return found && Object.keys(found).length > 0 ? { Item: found } : {};
    });
    return { Responses, ...transactionCapacity(input.ReturnConsumedCapacity, units, 'ReadCapacityUnits') };
  },
};
