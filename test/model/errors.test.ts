import { describe, expect, it } from 'vitest';
import { DynamoError, messages, wireErrorType } from '../../src/model/index.js';

describe('DynamoError', () => {
  it("carries DynamoDB's type as its name", () => {
    const err = new DynamoError('ValidationException', 'The provided key element does not match the schema');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('The provided key element does not match the schema');
  });

  it('keeps a cause', () => {
    const cause = new Error('disk');
    expect(new DynamoError('InternalServerError', 'Internal server error', { cause }).cause).toBe(cause);
  });
});

describe('wireErrorType', () => {
  it.each([
    ['ValidationException', 'com.amazon.coral.validate#ValidationException'],
    ['SerializationException', 'com.amazon.coral.service#SerializationException'],
    ['UnknownOperationException', 'com.amazon.coral.service#UnknownOperationException'],
    ['UnrecognizedClientException', 'com.amazon.coral.service#UnrecognizedClientException'],
    ['ResourceNotFoundException', 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException'],
    ['ConditionalCheckFailedException', 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException'],
    ['InternalServerError', 'com.amazonaws.dynamodb.v20120810#InternalServerError'],
  ])('%s', (name, type) => {
    expect(wireErrorType(name)).toBe(type);
  });
});

describe('key messages', () => {
  it('match DynamoDB word for word', () => {
    expect(messages.missingKey('pk')).toBe('One or more parameter values were invalid: Missing the key pk in the item');
    expect(messages.keyTypeMismatch('pk', 'S', 'N')).toBe(
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    expect(messages.KEY_SCHEMA_MISMATCH).toBe('The provided key element does not match the schema');
    expect(messages.emptyKeyString('pk')).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    expect(messages.emptyKeyBinary('sk')).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk',
    );
    expect(messages.PARTITION_KEY_TOO_LARGE).toBe(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
    expect(messages.SORT_KEY_TOO_LARGE).toBe(
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
    expect(messages.indexKeyTypeMismatch('c', 'S', 'N', 'index1')).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key c Expected: S Actual: N IndexName: index1',
    );
    expect(messages.emptyIndexKeyString('gsi', 'c')).toBe(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi, IndexKey: c',
    );
  });

  it('table and scan messages match DynamoDB word for word', () => {
    expect(messages.tableNotFound('t')).toBe('Requested resource not found: Table: t not found');
    expect(messages.tableAlreadyExists('t')).toBe('Table already exists: t');
    expect(messages.tableInUse('created', 't')).toBe(
      'Attempt to change a resource which is still in use: Table is being created: t',
    );
    expect(messages.segmentOutOfRange(5, 5)).toBe(
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5',
    );
    expect(messages.invalidStartKey(messages.wrongSegment(4, 1))).toBe(
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 4 Segment: 1',
    );
  });
});
