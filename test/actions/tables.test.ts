import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, openDb, settle, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/';

describe('CreateTable', () => {
  describe('validations', () => {
    it('requires TableName', async () => {
      db = await openDb();
      const { TableName: _, ...rest } = hashTable();
      await expectError(db.send('CreateTable', rest), 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
    });

    it('checks the table name length and pattern', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', hashTable('ab')),
        'ValidationException',
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      );
      await expectError(
        db.send('CreateTable', hashTable('a'.repeat(256))),
        'ValidationException',
        `1 validation error detected: Value '${'a'.repeat(256)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
      );
      await expectError(
        db.send('CreateTable', hashTable('bad name!')),
        'ValidationException',
        "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      );
    });

    it('reports enum failures with their member paths', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { ...hashTable('t1'.padEnd(3, 'x')), KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }] }),
        'ValidationException',
        "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
      );
      await expectError(
        db.send('CreateTable', { ...hashTable('t1x'), AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'INVALID' }] }),
        'ValidationException',
        "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
      );
    });

    it('reports several constraint failures together', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }], BillingMode: 'INVALID_MODE' }),
        'ValidationException',
        "2 validation errors detected: Value 'INVALID_MODE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; " +
          "Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
      );
    });

    it('renders a too-long KeySchema as the service prints it', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', {
          ...compositeTable('three'),
          AttributeDefinitions: ['pk', 'sk', 'x'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
            { AttributeName: 'x', KeyType: 'RANGE' },
          ],
        }),
        'ValidationException',
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      );
    });

    it('rejects wrong JSON types with SerializationException', async () => {
      db = await openDb();
      await expectError(db.send('CreateTable', { ...hashTable(), TableName: 5 }), 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
      await expectError(db.send('CreateTable', { ...hashTable(), TableName: true }), 'SerializationException', 'TRUE_VALUE cannot be converted to String');
      await expectError(db.send('CreateTable', { ...hashTable(), KeySchema: {} }), 'SerializationException', 'Start of structure or map found where not expected');
      await expectError(db.send('CreateTable', { ...hashTable(), KeySchema: ['x'] }), 'SerializationException', 'Unexpected field type');
      await expectError(
        db.send('CreateTable', { ...compositeTable(), ProvisionedThroughput: { ReadCapacityUnits: 'five', WriteCapacityUnits: 5 } }),
        'SerializationException',
        'STRING_VALUE cannot be converted to Long',
      );
    });

    it('checks the key schema against the attribute definitions', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { ...hashTable(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }] }),
        'ValidationException',
        'Invalid KeySchema: Some index key attribute have no definition',
      );
      await expectError(
        db.send('CreateTable', { ...hashTable(), KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] }),
        'ValidationException',
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]',
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }] }),
        'ValidationException',
        'Both the Hash Key and the Range Key element in the KeySchema have the same name',
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }, { AttributeName: 'sk', KeyType: 'HASH' }] }),
        'ValidationException',
        'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'HASH' }] }),
        'ValidationException',
        'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
        'ValidationException',
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      );
    });

    it('checks billing mode against throughput', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { ...hashTable(), BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
        'ValidationException',
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
      await expectError(
        db.send('CreateTable', { ...hashTable(), BillingMode: undefined }),
        'ValidationException',
        'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 5 } }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectError(
        db.send('CreateTable', { ...compositeTable(), ProvisionedThroughput: { ReadCapacityUnits: 1e13, WriteCapacityUnits: 5 } }),
        'ValidationException',
        'Given value 10000000000000 for ReadCapacityUnits is out of bounds',
      );
    });

    it('rejects a second table with the same name', async () => {
      db = await withTables([hashTable()]);
      await expectError(db.send('CreateTable', hashTable()), 'ResourceInUseException', 'Table already exists: hashes');
    });
  });

  describe('functionality', () => {
    it('answers CREATING, then the table turns ACTIVE', async () => {
      db = await openDb({ createTableMs: 20 });
      const created = await db.send('CreateTable', compositeTable('music'));
      const description = created.TableDescription;
      expect(typeof description.CreationDateTime).toBe('number');
      expect(description.TableId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect({ ...description, CreationDateTime: 0, TableId: '' }).toEqual({
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        TableName: 'music',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TableStatus: 'CREATING',
        CreationDateTime: 0,
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        TableSizeBytes: 0,
        ItemCount: 0,
        TableArn: `${ARN}music`,
        TableId: '',
        DeletionProtectionEnabled: false,
      });
      expect((await db.send('DescribeTable', { TableName: 'music' })).Table.TableStatus).toBe('CREATING');
      await expectError(db.send('PutItem', { TableName: 'music', Item: { pk: { S: 'a' }, sk: { N: '1' } } }), 'ResourceNotFoundException', 'Requested resource not found');
      await settle(40);
      expect((await db.send('DescribeTable', { TableName: 'music' })).Table.TableStatus).toBe('ACTIVE');
    });

    it('describes on-demand tables with a billing mode summary', async () => {
      db = await withTables([hashTable()]);
      const { Table } = await db.send('DescribeTable', { TableName: 'hashes' });
      expect(Table.BillingModeSummary).toEqual({ BillingMode: 'PAY_PER_REQUEST' });
      expect(Table.ProvisionedThroughput).toEqual({ NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    });
  });
});

describe('DescribeTable', () => {
  it('requires TableName and an existing table', async () => {
    db = await openDb();
    await expectError(db.send('DescribeTable', {}), 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
    await expectError(db.send('DescribeTable', { TableName: 'missing' }), 'ResourceNotFoundException', 'Requested resource not found: Table: missing not found');
  });

  it('counts items and bytes', async () => {
    db = await withTables([hashTable()]);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'abc' }, n: { N: '12' } } });
    const { Table } = await db.send('DescribeTable', { TableName: 'hashes' });
    expect([Table.ItemCount, Table.TableSizeBytes]).toEqual([1, 2 + 3 + 1 + 2]);
  });
});

describe('ListTables', () => {
  it('pages through names in order', async () => {
    db = await withTables(['ccc', 'aaa', 'bbb', 'ddd'].map((name) => hashTable(name)));
    expect(await db.send('ListTables', {})).toEqual({ TableNames: ['aaa', 'bbb', 'ccc', 'ddd'] });
    expect(await db.send('ListTables', { Limit: 2 })).toEqual({ TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' });
    expect(await db.send('ListTables', { Limit: 2, ExclusiveStartTableName: 'bbb' })).toEqual({ TableNames: ['ccc', 'ddd'] });
    expect(await db.send('ListTables', { ExclusiveStartTableName: 'ddd' })).toEqual({ TableNames: [] });
  });

  it('validates Limit and ExclusiveStartTableName', async () => {
    db = await openDb();
    await expectError(
      db.send('ListTables', { Limit: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      db.send('ListTables', { Limit: 101, ExclusiveStartTableName: 'a!' }),
      'ValidationException',
      "2 validation errors detected: Value 'a!' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });
});

describe('UpdateTable', () => {
  it('changes provisioned throughput through UPDATING', async () => {
    db = await withTables([compositeTable()], { updateTableMs: 20 });
    const { TableDescription } = await db.send('UpdateTable', { TableName: 'composite', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } });
    expect(TableDescription.TableStatus).toBe('UPDATING');
    await settle(40);
    const { Table } = await db.send('DescribeTable', { TableName: 'composite' });
    expect(Table.TableStatus).toBe('ACTIVE');
    expect(Table.ProvisionedThroughput.ReadCapacityUnits).toBe(10);
    expect(Table.ProvisionedThroughput.WriteCapacityUnits).toBe(5);
    expect(typeof Table.ProvisionedThroughput.LastIncreaseDateTime).toBe('number');
  });

  it('switches billing mode both ways', async () => {
    db = await withTables([compositeTable()]);
    await db.send('UpdateTable', { TableName: 'composite', BillingMode: 'PAY_PER_REQUEST' });
    await settle();
    let { Table } = await db.send('DescribeTable', { TableName: 'composite' });
    expect(Table.BillingModeSummary.BillingMode).toBe('PAY_PER_REQUEST');
    expect(typeof Table.BillingModeSummary.LastUpdateToPayPerRequestDateTime).toBe('number');
    expect([Table.ProvisionedThroughput.ReadCapacityUnits, Table.ProvisionedThroughput.WriteCapacityUnits]).toEqual([0, 0]);
    await expectError(
      db.send('UpdateTable', { TableName: 'composite', BillingMode: 'PROVISIONED' }),
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    );
    await db.send('UpdateTable', { TableName: 'composite', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } });
    await settle();
    ({ Table } = await db.send('DescribeTable', { TableName: 'composite' }));
    expect(Table.BillingModeSummary.BillingMode).toBe('PROVISIONED');
    expect([Table.ProvisionedThroughput.ReadCapacityUnits, Table.ProvisionedThroughput.WriteCapacityUnits]).toEqual([3, 4]);
  });

  it('validates', async () => {
    db = await withTables([compositeTable(), hashTable()]);
    await expectError(
      db.send('UpdateTable', { TableName: 'composite' }),
      'ValidationException',
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
    await expectError(
      db.send('UpdateTable', { TableName: 'composite', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
      'ValidationException',
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
    await expectError(
      db.send('UpdateTable', { TableName: 'hashes', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
    await expectError(db.send('UpdateTable', { TableName: 'nothere', BillingMode: 'PAY_PER_REQUEST' }), 'ResourceNotFoundException', 'Requested resource not found: Table: nothere not found');
  });
});

describe('DeleteTable', () => {
  it('answers DELETING, then the table is gone', async () => {
    db = await withTables([hashTable()], { deleteTableMs: 20 });
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } } });
    const { TableDescription } = await db.send('DeleteTable', { TableName: 'hashes' });
    expect([TableDescription.TableStatus, TableDescription.ItemCount]).toEqual(['DELETING', 1]);
    expect((await db.send('DescribeTable', { TableName: 'hashes' })).Table.TableStatus).toBe('DELETING');
    await expectError(db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } }), 'ResourceNotFoundException', 'Requested resource not found');
    await settle(40);
    await expectError(db.send('DescribeTable', { TableName: 'hashes' }), 'ResourceNotFoundException', 'Requested resource not found: Table: hashes not found');
    expect(await db.send('ListTables', {})).toEqual({ TableNames: [] });
    // The name is free again.
    await db.send('CreateTable', hashTable());
  });

  it('refuses a table that is still being created, and a missing table', async () => {
    db = await openDb({ createTableMs: 50 });
    await db.send('CreateTable', hashTable());
    await expectError(db.send('DeleteTable', { TableName: 'hashes' }), 'ResourceInUseException', 'Attempt to change a resource which is still in use: Table is being created: hashes');
    await expectError(db.send('DeleteTable', { TableName: 'nope' }), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
  });
});

describe('dispatch', () => {
  it('rejects unknown actions and non-object input', async () => {
    db = await openDb();
    await expectError(db.send('Frobnicate', {}), 'UnknownOperationException', '');
    await expectError(db.send('toString', {}), 'UnknownOperationException', '');
    for (const input of [null, 42, 'x', [], undefined]) {
      await expectError(db.send('ListTables', input), 'SerializationException', '');
    }
  });
});
