import type { Database } from '../engine/database.js';
import { type Action, controlTableName } from './common.js';

export const DescribeTimeToLive: Action<{ TableName: string }> = {
  members: { TableName: controlTableName },

  // Tidepool applies a change at once, so a table is never ENABLING or DISABLING.
  run(db: Database, input) {
    const attribute = db.describe(input.TableName).ttlAttribute;
    return { TimeToLiveDescription: attribute === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } };
  },
};
