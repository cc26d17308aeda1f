import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, controlTableName } from './common.js';

interface Input {
  TableName: string;
  TimeToLiveSpecification: { AttributeName: string; Enabled: boolean | string };
}

const invalid = (message: string) => new DynamoError('ValidationException', message);

export const UpdateTimeToLive: Action<Input> = {
  members: {
    TableName: controlTableName,
    TimeToLiveSpecification: {
      type: 'struct',
      name: 'TimeToLiveSpecification',
      notNull: true,
      members: {
        AttributeName: { type: 'string', notNull: true, minLength: 1, maxLength: 255 },
        Enabled: { type: 'boolean', notNull: true },
      },
    },
  },

  run(db: Database, input) {
    const table = db.describe(input.TableName);
    const { AttributeName: attribute } = input.TimeToLiveSpecification;
    // The deserialiser also takes a boolean as text ('true', '1', 'yes').
    const enabled = /^(true|1|yes)$/i.test(String(input.TimeToLiveSpecification.Enabled));
    const current = table.ttlAttribute;
    // Changes are not idempotent: each must switch TTL on or off, on the attribute it is on.
    if (current !== undefined && current !== attribute) throw invalid(msg.ttlOnOtherAttribute(current));
    if (current !== undefined && enabled) throw invalid(msg.TTL_ALREADY_ENABLED);
    if (current === undefined && !enabled) throw invalid(msg.TTL_ALREADY_DISABLED);
    db.setTimeToLive(table, enabled ? attribute : undefined);
    return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } };
  },
};
