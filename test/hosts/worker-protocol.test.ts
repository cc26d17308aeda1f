/**
 * Errors across the worker boundary: what a page's caller gets back is DynamoDB's name and
 * message with every field the engine's error carried, through a real structured clone.
 */
import { describe, expect, test } from 'vitest';
import { Tidepool } from '../../src/index.js';
import { fromPlainError, toPlainError } from '../../src/hosts/worker-protocol.js';

/** An error as it arrives in the page: made plain in the worker, cloned by postMessage, rebuilt. */
const across = (error: unknown) => fromPlainError(structuredClone(toPlainError(error)));

const own = (error: Error) => ({ name: error.name, message: error.message, fields: Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'name')) });

describe('worker errors', () => {
  test('a TransactionCanceledException keeps its CancellationReasons with the old item', async () => {
    const db = await Tidepool.open();
    await db.send('CreateTable', { TableName: 'tab', AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    // A new table turns ACTIVE on the next macrotask.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await db.send('PutItem', { TableName: 'tab', Item: { k: { S: 'a' }, n: { N: '1' } } });
    const error = await db
      .send('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'tab', Item: { k: { S: 'b' } } } },
          { ConditionCheck: { TableName: 'tab', Key: { k: { S: 'a' } }, ConditionExpression: 'n > :n', ExpressionAttributeValues: { ':n': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ],
      })
      .catch((caught: Error) => caught);
    await db.close();
    const rebuilt = across(error);
    expect(rebuilt).toBeInstanceOf(Error);
    expect(own(rebuilt)).toEqual({
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      fields: { CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { k: { S: 'a' }, n: { N: '1' } } }] },
    });
  });

  test("an InternalServerError keeps its cause's name and message", () => {
    const cause = Object.assign(new Error('quota'), { name: 'StorageUnavailableError' });
    const rebuilt = across(Object.assign(new Error('Internal server error', { cause }), { name: 'InternalServerError' }));
    expect({ ...own(rebuilt), cause: { name: (rebuilt.cause as Error).name, message: (rebuilt.cause as Error).message } }).toEqual({
      name: 'InternalServerError',
      message: 'Internal server error',
      fields: {},
      cause: { name: 'StorageUnavailableError', message: 'quota' },
    });
  });

  test('a thrown value that is not an Error arrives as an Error with its text', () => {
    expect(own(across('boom'))).toEqual({ name: 'Error', message: 'boom', fields: {} });
  });
});
