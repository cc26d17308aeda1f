import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/hosts/cli.js', import.meta.url));

it('`tidepool demo` runs a session and prints each response', () => {
  const lines = execFileSync(process.execPath, [cli], { encoding: 'utf8' }).split('\n');
  expect(lines.filter((line) => line.startsWith('> ')).map((line) => line.split(' ')[1])).toEqual(['CreateTable', 'PutItem', 'PutItem', 'GetItem', 'Scan', 'PutItem']);
  expect(lines).toContain('< {"Item":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Sinnerman"},"Year":{"N":"1965"}}}');
  expect(lines).toContain('< ValidationException: One or more parameter values were invalid: Type mismatch for key Artist expected: S actual: N');
});

/** Runs the CLI expecting it to fail: its exit status and stderr ([0, ''] if it succeeded). */
function fails(args: string[]): [number, string] {
  try {
    execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: 'pipe' });
    return [0, ''];
  } catch (error) {
    return [(error as { status: number }).status, (error as { stderr: string }).stderr];
  }
}

it('rejects an unknown command', () => {
  expect(fails(['frobnicate'])).toEqual([
    2,
    "tidepool: unknown command 'frobnicate'\nUsage:\n  tidepool serve [--port 8000] [--host 127.0.0.1] [--credentials FILE] [--data DIR]\n  tidepool demo\n",
  ]);
});

it('`tidepool serve` refuses bad options with a clear message', () => {
  expect(fails(['serve', '--port', 'eighty'])).toEqual([2, "tidepool: --port must be a port number, not 'eighty'\n"]);
  const file = join(mkdtempSync(join(tmpdir(), 'tidepool-cli-')), 'credentials.json');
  writeFileSync(file, '[{"accessKeyId":"a"}]');
  expect(fails(['serve', '--credentials', file])).toEqual([2, 'tidepool: credentials file entry 0 needs a non-empty string accessKeyId and secretAccessKey\n']);
});

it('`tidepool serve --data DIR` keeps tables and items across restarts, and locks the folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidepool-serve-'));
  const endpoint = (child: ReturnType<typeof spawn>) =>
    new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+) \(data in /.exec(out);
        if (m) resolve(m[1]);
      });
    });
  const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
  for (const step of ['write', 'read']) {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const client = new DynamoDBClient({ endpoint: await endpoint(child), region: 'us-east-1', credentials });
    if (step === 'write') {
      await client.send(new CreateTableCommand({ TableName: 'kept', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
      await client.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'a' }, n: { N: '7' } } }));
      expect(fails(['serve', '--port', '0', '--data', dir])[1]).toMatch(/^tidepool: Tidepool: the data folder .* is in use by process \d+\n$/);
    } else {
      expect((await client.send(new GetItemCommand({ TableName: 'kept', Key: { id: { S: 'a' } } }))).Item).toEqual({ id: { S: 'a' }, n: { N: '7' } });
    }
    client.destroy();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});

it('`tidepool serve` prints its URL, answers the AWS SDK, and stops cleanly on SIGTERM and SIGINT', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (m) resolve(m[1]);
      });
    });
    const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(stdout).toBe(`Tidepool listening on ${url}\nTidepool stopped\n`);
  }
});
