import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { expectError, hashTable, openDb, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/hashes';
const INVALID = 'One or more parameter values were invalid: ';
const tags = (...pairs: [string, string][]) => pairs.map(([Key, Value]) => ({ Key, Value }));
const list = async (arn = ARN) => (await db.send('ListTagsOfResource', { ResourceArn: arn })).Tags;

describe('TagResource', () => {
  describe('validations', () => {
    it('checks the ARN before the tags, in the service order', async () => {
      db = await withTables([hashTable()]);
      await expectError(db.send('TagResource', { Tags: tags(['a', 'b']) }), 'ValidationException', 'Invalid TableArn');
      await expectError(db.send('TagResource', {}), 'ValidationException', 'Invalid TableArn');
      await expectError(
        db.send('TagResource', { ResourceArn: 'not-a-valid-arn' }),
        'ValidationException',
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        db.send('TagResource', { ResourceArn: 'not-a-valid-arn', Tags: [] }),
        'ValidationException',
        'Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn',
      );
      await expectError(db.send('TagResource', { ResourceArn: ARN, Tags: [] }), 'ValidationException', 'Atleast one Tag needs to be provided as Input.');
    });

    it('accepts only a table ARN', async () => {
      db = await withTables([hashTable()]);
      for (const arn of [`${ARN}/index/byX`, 'arn:aws:dynamodb:us-east-1:acct:table/hashes', 'arn:aws:dynamodb:us-east-1:000000000000:table/ab', 'arn:aws:s3:::bucket']) {
        await expectError(db.send('TagResource', { ResourceArn: arn, Tags: tags(['a', 'b']) }), 'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
      }
    });

    it('checks each tag against its limits', async () => {
      db = await withTables([hashTable()]);
      const tag = (Key: string, Value: string) => db.send('TagResource', { ResourceArn: ARN, Tags: tags(['ok', 'ok'], [Key, Value]) });
      await expectError(tag('', 'v'), 'ValidationException', `${INVALID}Tag key must be between 1 and 128 characters`);
      await expectError(tag('k'.repeat(129), 'v'), 'ValidationException', `${INVALID}Tag key must be between 1 and 128 characters`);
      await expectError(tag('k', 'v'.repeat(257)), 'ValidationException', `${INVALID}Tag value must be between 0 and 256 characters`);
      await expectError(tag('aws:owner', 'v'), 'ValidationException', `${INVALID}Tag keys starting with 'aws:' are reserved for system use`);
      await expectError(tag('AWS:owner', 'v'), 'ValidationException', `${INVALID}Tag keys starting with 'aws:' are reserved for system use`);
      expect(await list()).toEqual([]);
      // Lengths count characters, not bytes or UTF-16 units.
      await tag('א'.repeat(128), '😀'.repeat(256));
      await tag('k'.repeat(128), '');
      expect(await list()).toHaveLength(3);
    });

    it('requires Key and Value in every tag', async () => {
      db = await withTables([hashTable()]);
      await expectError(
        db.send('TagResource', { ResourceArn: ARN, Tags: [{ Key: 'dog' }] }),
        'ValidationException',
        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
      );
      await expectError(db.send('TagResource', { ResourceArn: ARN, Tags: [{ Key: 5, Value: 'v' }] }), 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
    });

    it('refuses a table that does not exist, or another account\'s', async () => {
      db = await withTables([hashTable()]);
      for (const arn of [`${ARN}x`, 'arn:aws:dynamodb:eu-west-1:000000000000:table/hashes', 'arn:aws:dynamodb:us-east-1:111111111111:table/hashes']) {
        await expectError(db.send('TagResource', { ResourceArn: arn, Tags: tags(['a', 'b']) }), 'ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
      }
    });

    it('holds at most 50 tags, counting a replaced key once', async () => {
      db = await withTables([hashTable()]);
      const numbered = (from: number, to: number) => tags(...Array.from({ length: to - from }, (_, i): [string, string] => [`k${from + i}`, 'v']));
      await db.send('TagResource', { ResourceArn: ARN, Tags: numbered(0, 30) });
      await db.send('TagResource', { ResourceArn: ARN, Tags: numbered(20, 50) });
      await expectError(db.send('TagResource', { ResourceArn: ARN, Tags: numbered(45, 51) }), 'ValidationException', `${INVALID}Too many tags: tag limit is 50`);
      expect(await list()).toHaveLength(50);
      await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['k0', 'replaced']) });
      expect((await list()).find((t: { Key: string }) => t.Key === 'k0')).toEqual({ Key: 'k0', Value: 'replaced' });
    });
  });

  describe('functionality', () => {
    it('adds tags and replaces the value of a key already there', async () => {
      db = await withTables([hashTable()]);
      expect(await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['env', 'test'], ['project', 'x']) })).toEqual({});
      await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['env', 'production'], ['team', '']) });
      expect(await list()).toEqual(tags(['env', 'production'], ['project', 'x'], ['team', '']));
    });
  });
});

describe('UntagResource', () => {
  it('checks the ARN and the keys', async () => {
    db = await withTables([hashTable()]);
    await expectError(db.send('UntagResource', { TagKeys: ['a'] }), 'ValidationException', 'Invalid TableArn');
    await expectError(
      db.send('UntagResource', { ResourceArn: 'bad' }),
      'ValidationException',
      "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    );
    await expectError(db.send('UntagResource', { ResourceArn: 'bad', TagKeys: [] }), 'ValidationException', 'Invalid TableArn: Invalid ResourceArn provided as input bad');
    await expectError(db.send('UntagResource', { ResourceArn: ARN, TagKeys: [] }), 'ValidationException', 'Atleast one Tag Key needs to be provided as Input.');
    await expectError(db.send('UntagResource', { ResourceArn: `${ARN}x`, TagKeys: ['a'] }), 'ResourceNotFoundException', 'Requested resource not found');
  });

  it('removes the keys given; a key not there is no error', async () => {
    db = await withTables([hashTable()]);
    await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['a', '1'], ['b', '2'], ['c', '3']) });
    expect(await db.send('UntagResource', { ResourceArn: ARN, TagKeys: ['b', 'missing'] })).toEqual({});
    expect(await list()).toEqual(tags(['a', '1'], ['c', '3']));
  });
});

describe('ListTagsOfResource', () => {
  it('checks the ARN; a table that does not exist is access denied', async () => {
    db = await withTables([hashTable()]);
    await expectError(db.send('ListTagsOfResource', {}), 'ValidationException', 'Invalid TableArn');
    await expectError(db.send('ListTagsOfResource', { ResourceArn: 'x' }), 'ValidationException', 'Invalid TableArn: Invalid ResourceArn provided as input x');
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz';
    await expectError(
      db.send('ListTagsOfResource', { ResourceArn: missing }),
      'AccessDeniedException',
      `User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: ${missing}`,
    );
  });

  it('names the configured account', async () => {
    db = await openDb({ accountId: '123456789012' });
    const missing = 'arn:aws:dynamodb:us-east-1:123456789012:table/gone';
    await expectError(
      db.send('ListTagsOfResource', { ResourceArn: missing }),
      'AccessDeniedException',
      `User: arn:aws:iam::123456789012:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: ${missing}`,
    );
  });

  it('lists every tag in one page, in key order by UTF-8 bytes', async () => {
    db = await withTables([hashTable()]);
    expect(await db.send('ListTagsOfResource', { ResourceArn: ARN })).toEqual({ Tags: [] });
    // U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16.
    await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['😀', '1'], ['～', '2'], ['B', '3'], ['a', '4'], ['A', '5']) });
    expect(await db.send('ListTagsOfResource', { ResourceArn: ARN })).toEqual({ Tags: tags(['A', '5'], ['B', '3'], ['a', '4'], ['～', '2'], ['😀', '1']) });
  });

  it('forgets the tags of a deleted table', async () => {
    db = await withTables([hashTable()]);
    await db.send('TagResource', { ResourceArn: ARN, Tags: tags(['a', '1']) });
    await db.send('DeleteTable', { TableName: 'hashes' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await db.send('CreateTable', hashTable());
    expect(await list()).toEqual([]);
  });
});

describe('CreateTable Tags', () => {
  it('stores the tags given', async () => {
    db = await openDb();
    await db.send('CreateTable', { ...hashTable(), Tags: tags(['env', 'test'], ['cost', 'dev']) });
    expect(await list()).toEqual(tags(['cost', 'dev'], ['env', 'test']));
  });

  it('creates no table when a tag is invalid', async () => {
    db = await openDb();
    await expectError(db.send('CreateTable', { ...hashTable(), Tags: tags(['', 'v']) }), 'ValidationException', `${INVALID}Tag key must be between 1 and 128 characters`);
    const many = tags(...Array.from({ length: 51 }, (_, i): [string, string] => [`k${i}`, 'v']));
    await expectError(db.send('CreateTable', { ...hashTable(), Tags: many }), 'ValidationException', `${INVALID}Too many tags: tag limit is 50`);
    expect(await db.send('ListTables', {})).toEqual({ TableNames: [] });
  });
});

describe('DescribeLimits', () => {
  it('answers the default account quotas', async () => {
    db = await openDb();
    expect(await db.send('DescribeLimits', {})).toEqual({
      AccountMaxReadCapacityUnits: 80000,
      AccountMaxWriteCapacityUnits: 80000,
      TableMaxReadCapacityUnits: 40000,
      TableMaxWriteCapacityUnits: 40000,
    });
  });
});
