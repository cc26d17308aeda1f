import type { Database } from '../engine/database.js';
import { type Action, NAME_PATTERN } from './common.js';

export const ListTables: Action<{ ExclusiveStartTableName?: string; Limit?: number }> = {
  members: {
    ExclusiveStartTableName: { type: 'string', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
    Limit: { type: 'integer', min: 1, max: 100 },
  },
  run(db: Database, input) {
    const limit = input.Limit == null ? 100 : Math.trunc(input.Limit);
    const start = input.ExclusiveStartTableName;
    const names = db.tableNames().filter((name) => start == null || name > start);
    const page = names.slice(0, limit);
    const result: { TableNames: string[]; LastEvaluatedTableName?: string } = { TableNames: page };
    if (names.length > limit) result.LastEvaluatedTableName = page[page.length - 1];
    return result;
  },
};
