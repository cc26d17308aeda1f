#!/usr/bin/env node
/**
 * `tidepool`: the command line.
 *   tidepool serve [--port 8000] [--host 127.0.0.1] [--credentials FILE] [--data DIR]
 *       a DynamoDB-compatible HTTP endpoint (see README: "Server")
 *   tidepool demo
 *       a short session against an in-memory database, printing each request and response
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCredentials } from '../auth/sigv4.js';
import { Tidepool } from '../index.js';
import { serve } from './server.js';

const USAGE = `Usage:
  tidepool serve [--port 8000] [--host 127.0.0.1] [--credentials FILE] [--data DIR]
  tidepool demo`;

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

async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: '8000' }, host: { type: 'string', default: '127.0.0.1' }, credentials: { type: 'string' }, data: { type: 'string' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not '${values.port}'`);
  const credentials = values.credentials === undefined ? undefined : parseCredentials(readFileSync(values.credentials, 'utf8'));
  const db = await Tidepool.open({ path: values.data });
  const server = await serve(db, { port, host: values.host, credentials });
  console.log(`Tidepool listening on ${server.url}${values.data === undefined ? '' : ` (data in ${values.data})`}${credentials ? ` (verifying signatures for ${credentials.size} access key${credentials.size === 1 ? '' : 's'})` : ''}`);
  const stop = async () => {
    await server.close();
    await db.close();
    console.log('Tidepool stopped');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const [command = 'demo', ...rest] = process.argv.slice(2);
try {
  if (command === 'demo') await demo();
  else if (command === 'serve') await serveCommand(rest);
  else throw new Error(`unknown command '${command}'\n${USAGE}`);
} catch (error) {
  console.error(`tidepool: ${(error as Error).message}`);
  process.exitCode = 2;
}
