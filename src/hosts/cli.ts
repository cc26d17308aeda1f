#!/usr/bin/env node
/**
 * `tidepool`: the command line. Until the server and the playground land, `tidepool demo` (the
 * default) runs a short session against an in-memory database and prints each request and response.
 */
import { Tidepool } from '../index.js';

async function demo(): Promise<void> {
  const db = await Tidepool.open();
  const step = async (action: string, input: Record<string, unknown>) => {
    console.log(`> ${action} ${JSON.stringify(input)}`);
    try {
      console.log(`< ${JSON.stringify(await db.send(action, input))}\n`);
    } catch (error) {
      const e = error as Error;
      console.log(`< ${e.name}: ${e.message}\n`);
    }
  };
  await step('CreateTable', {
    TableName: 'Music',
    AttributeDefinitions: [
      { AttributeName: 'Artist', AttributeType: 'S' },
      { AttributeName: 'SongTitle', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'Artist', KeyType: 'HASH' },
      { AttributeName: 'SongTitle', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await step('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Sinnerman' }, Year: { N: '1965' } } });
  await step('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Feeling Good' }, Year: { N: '1965.0' } } });
  await step('GetItem', { TableName: 'Music', Key: { Artist: { S: 'Nina Simone' }, SongTitle: { S: 'Sinnerman' } } });
  await step('Scan', { TableName: 'Music', Limit: 1 });
  await step('PutItem', { TableName: 'Music', Item: { Artist: { N: '1' }, SongTitle: { S: 'x' } } });
  await db.close();
}

const [command = 'demo'] = process.argv.slice(2);
if (command === 'demo') {
  await demo();
} else {
  console.error(`tidepool: unknown command '${command}'. Commands: demo`);
  process.exitCode = 2;
}
