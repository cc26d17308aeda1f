/** The table and generated items that the page and the specs both use. */
import type { Item } from '../../src/index.js';

export const TABLE = {
  TableName: 'items',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

/** Item `i` of a load: `bytes` bytes by DynamoDB's item size (names plus values), for bytes >= 30. */
export function loadItem(i: number, bytes: number): Item {
  const pk = `item#${String(i).padStart(7, '0')}`;
  return { pk: { S: pk }, sk: { N: String(i % 10) }, data: { S: 'x'.repeat(Math.max(0, bytes - 10 - pk.length)) } };
}

export const loadKey = (i: number): Item => {
  const { pk, sk } = loadItem(i, 0);
  return { pk, sk };
};
