import type { Database } from '../engine/database.js';
import { describeTable } from './DescribeTable.js';
import { type Action, controlTableName } from './common.js';

export const DeleteTable: Action<{ TableName: string }> = {
  members: { TableName: controlTableName },
  run(db: Database, input) {
    return { TableDescription: describeTable(db.deleteTable(input.TableName)) };
  },
};
