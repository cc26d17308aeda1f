import { type Action } from './common.js';

/** The default quotas of an account (Developer Guide, "Service, account, and table quotas"). */
const LIMITS = {
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: 40_000,
  TableMaxWriteCapacityUnits: 40_000,
};

export const DescribeLimits: Action = {
  members: {},
  run() {
    return { ...LIMITS };
  },
};
