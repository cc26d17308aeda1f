/**
 * What a request reads or writes, so that storage can load it before the (synchronous) engine
 * runs it: per table, the keys of a single-item action, or the whole table. Worked out from the
 * raw input, before validation: what cannot be read here is left to the action to reject, and a
 * route that reaches a partition not loaded fails loudly (KeySpace), never silently.
 *
 *   GetItem, PutItem, UpdateItem, DeleteItem,
 *   BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems   the partitions of their keys
 *   Query, Scan, UpdateTable, UpdateTimeToLive, PartiQL statements       the whole table
 *   DescribeTable                                                        the whole table if it has indexes
 *   the other actions (tables, tags, streams)                            nothing
 *
 * DescribeTable of a table without indexes answers from the counts and sizes of the latest
 * checkpoint's manifest and the partitions loaded since: writes in the log to partitions not
 * loaded yet show once they load (DynamoDB too updates ItemCount and TableSizeBytes only every six
 * hours or so). Index counts and sizes come from the indexes, which need the whole table.
 */
import type { Item } from '../model/index.js';
import { parseStatement } from '../partiql/parser.js';

export interface Touch {
  table: string;
  /** The keys (or whole items) it reads or writes; absent: the whole table. */
  keys?: Item[];
  write: boolean;
  /** The whole table, but only if it has secondary indexes. */
  ifIndexed?: boolean;
}

type Input = Record<string, any>;

const isObject = (value: unknown): value is Input => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function keyed(table: unknown, key: unknown, write: boolean): Touch[] {
  return typeof table === 'string' && isObject(key) ? [{ table, keys: [key as Item], write }] : [];
}

function whole(table: unknown, write: boolean): Touch[] {
  return typeof table === 'string' ? [{ table, write }] : [];
}

function statements(texts: unknown[]): Touch[] {
  const out: Touch[] = [];
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const statement = parseStatement(text);
    if (!('message' in statement)) out.push({ table: statement.table, write: statement.kind !== 'SELECT' });
  }
  return out;
}

export function touches(action: string, input: unknown): Touch[] {
  if (!isObject(input)) return [];
  switch (action) {
    case 'GetItem':
      return keyed(input.TableName, input.Key, false);
    case 'PutItem':
      return keyed(input.TableName, input.Item, true);
    case 'UpdateItem':
    case 'DeleteItem':
      return keyed(input.TableName, input.Key, true);
    case 'BatchGetItem':
      return isObject(input.RequestItems) ? Object.entries(input.RequestItems).flatMap(([table, request]) => (isObject(request) ? list(request.Keys).flatMap((key) => keyed(table, key, false)) : [])) : [];
    case 'BatchWriteItem':
      return isObject(input.RequestItems)
        ? Object.entries(input.RequestItems).flatMap(([table, requests]) =>
            list(requests).flatMap((request) => (isObject(request) ? keyed(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key, true) : [])),
          )
        : [];
    case 'TransactGetItems':
      return list(input.TransactItems).flatMap((item) => (isObject(item) && isObject(item.Get) ? keyed(item.Get.TableName, item.Get.Key, false) : []));
    case 'TransactWriteItems':
      return list(input.TransactItems).flatMap((item) => {
        if (!isObject(item)) return [];
        if (isObject(item.Put)) return keyed(item.Put.TableName, item.Put.Item, true);
        const other = [item.Update, item.Delete, item.ConditionCheck].find(isObject);
        return other ? keyed(other.TableName, other.Key, true) : [];
      });
    case 'Query':
    case 'Scan':
      return whole(input.TableName, false);
    case 'DescribeTable':
      return whole(input.TableName, false).map((touch) => ({ ...touch, ifIndexed: true }));
    case 'UpdateTable':
      return whole(input.TableName, true);
    // Time to Live sweeps whole tables (Database.expireItems).
    case 'UpdateTimeToLive':
      return whole(input.TableName, false);
    case 'ExecuteStatement':
      return statements([input.Statement]);
    case 'BatchExecuteStatement':
      return statements(list(input.Statements).map((member) => (isObject(member) ? member.Statement : undefined)));
    case 'ExecuteTransaction':
      return statements(list(input.TransactStatements).map((member) => (isObject(member) ? member.Statement : undefined)));
    default:
      return [];
  }
}
