/**
 * The playground (web/) as a new user meets it: built and served as `npm start` serves it (a Vite
 * production build under `vite preview` on 127.0.0.1), driven through its page in Chromium.
 * Screenshots of each main screen go to test-results/playground/ for review.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, expect, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { launchOptions } from './chromium.js';

const config = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
const SHOTS = 'test-results/playground';

/**
 * `origin`: the playground built once for the worker and served by `vite preview` on a free port;
 * `errors`: every console error, uncaught exception and request to another origin of the test's
 * pages (and their workers), which must be none when the test ends.
 */
const test = base.extend<{ errors: string[] }, { origin: string }>({
  origin: [
    async ({}, use) => {
      await build({ configFile: config, logLevel: 'warn' });
      const server = await preview({ configFile: config, logLevel: 'warn', preview: { port: 0, strictPort: false, open: false } });
      await use(server.resolvedUrls!.local[0]);
      await server.close();
    },
    { scope: 'worker' },
  ],
  errors: [
    async ({ context, origin }, use) => {
      const errors: string[] = [];
      context.on('request', (request) => {
        if (!/^(blob|data):/.test(request.url()) && !request.url().startsWith(origin)) errors.push(`request to another origin: ${request.url()}`);
      });
      const listen = (page: Page) => {
        page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
        page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      };
      context.pages().forEach(listen);
      context.on('page', listen);
      await use(errors);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
});

/** Opens the playground at `hash` and waits until its table list has been read from the worker. */
async function open(page: Page, origin: string, hash = ''): Promise<void> {
  await page.goto(`${origin}${hash}`);
  await expect(page.locator('#tables li').first()).toBeVisible();
}

async function loadSample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Guided examples' })).toBeVisible();
}

/** The item grid's rows as arrays of cell texts, header first. */
async function grid(page: Page, scope = page.locator('main')): Promise<string[][]> {
  const table = scope.locator('table.items');
  const header = await table.locator('thead th').allInnerTexts();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  return [header.map((h) => h.trim()), ...rows];
}

/** The error slot beside the field labelled `label`. */
const errorBeside = (page: Page, label: string) => page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

/** A result summary's terms and values, as pairs. */
async function summary(page: Page): Promise<string[][]> {
  const cells = await page.locator('.results dl.summary').locator('dt, dd').allInnerTexts();
  return cells.reduce<string[][]>((pairs, text, i) => (i % 2 ? (pairs[pairs.length - 1].push(text), pairs) : [...pairs, [text]]), []);
}

const ORDER_COLUMNS = ['pk', 'sk', 'GSI1PK', 'GSI1SK', 'lines', 'orderId', 'status', 'total', 'type'];

test('a first visit: load the sample shop, run guided queries, and read their requests, SDK code and results', async ({ page, context, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin);
  await expect(page.getByRole('heading', { name: 'DynamoDB in a browser tab' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/home.png` });
  await loadSample(page);

  await page.getByRole('button', { name: "A customer's orders, newest first" }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.results table.items')).toBeVisible();
  expect(await summary(page)).toEqual([
    ['Count', '3'],
    ['ScannedCount', '3'],
    ['ConsumedCapacity', '0.5 units'],
    ['LastEvaluatedKey', 'none (last page)'],
  ]);
  expect(await grid(page, page.locator('.results'))).toEqual([
    ORDER_COLUMNS,
    ['CUSTOMER#alice', 'ORDER#2024-05-20#o1003', 'STATUS#PENDING', '2024-05-20#o1003', '2', 'o1003', 'PENDING', '63', 'order'],
    ['CUSTOMER#alice', 'ORDER#2024-05-02#o1002', 'STATUS#SHIPPED', '2024-05-02#o1002', '2', 'o1002', 'SHIPPED', '30.8', 'order'],
    ['CUSTOMER#alice', 'ORDER#2024-04-12#o1001', 'STATUS#DELIVERED', '2024-04-12#o1001', '2', 'o1001', 'DELIVERED', '62.4', 'order'],
  ]);
  const request = {
    TableName: 'Shop',
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': { S: 'CUSTOMER#alice' }, ':sk': { S: 'ORDER#' } },
    ScanIndexForward: false,
    ReturnConsumedCapacity: 'TOTAL',
  };
  expect(await page.getByLabel('Query request').innerText()).toBe(JSON.stringify(request, null, 2));
  expect(await page.getByLabel('AWS SDK v3 (JavaScript)').innerText()).toBe(
    [
      "import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';",
      '',
      'const client = new DynamoDBClient({});',
      'const output = await client.send(new QueryCommand({',
      "  TableName: 'Shop',",
      "  KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',",
      '  ExpressionAttributeNames: {',
      "    '#pk': 'pk',",
      "    '#sk': 'sk',",
      '  },',
      '  ExpressionAttributeValues: {',
      "    ':pk': { S: 'CUSTOMER#alice' },",
      "    ':sk': { S: 'ORDER#' },",
      '  },',
      '  ScanIndexForward: false,',
      "  ReturnConsumedCapacity: 'TOTAL',",
      '}));',
      'console.log(output);',
      '',
    ].join('\n'),
  );
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.locator('.code-block').filter({ hasText: 'AWS SDK v3 (JavaScript)' }).getByRole('button', { name: 'Copy' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.getByLabel('AWS SDK v3 (JavaScript)').innerText());
  await page.screenshot({ path: `${SHOTS}/builder.png`, fullPage: true });
  // The README's picture (docs/playground.png is a copy): the builder and its result at a laptop's width.
  await page.screenshot({ path: `${SHOTS}/laptop.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1240 } });

  // The other reads of the tour, each with what it finds.
  const reads: Array<[string, string[][], string[]]> = [
    ['Everything about a customer', [['Count', '4'], ['ScannedCount', '4']], ['ORDER#2024-04-12#o1001', 'ORDER#2024-05-02#o1002', 'ORDER#2024-05-20#o1003', 'PROFILE']],
    ['Orders placed in May 2024', [['Count', '2'], ['ScannedCount', '2']], ['ORDER#2024-05-02#o1002', 'ORDER#2024-05-20#o1003']],
    ['Big order lines: Scan with a filter', [['Count', '3'], ['ScannedCount', '21']], ['LINE#02', 'LINE#01', 'LINE#02']],
  ];
  for (const [title, counts, sortKeys] of reads) {
    await page.getByRole('button', { name: title }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByLabel(`${title.startsWith('Big') ? 'Scan' : 'Query'} response`)).toBeAttached();
    expect((await summary(page)).slice(0, 2)).toEqual(counts);
    const rows = await grid(page, page.locator('.results'));
    expect(rows.slice(1).map((cells) => cells[rows[0].indexOf('sk')]).sort()).toEqual([...sortKeys].sort());
  }
  await page.getByRole('button', { name: "A customer's profile" }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.results pre.item-json')).toBeVisible();
  expect(JSON.parse(await page.locator('.results pre.item-json').innerText())).toEqual({
    pk: { S: 'CUSTOMER#alice' },
    sk: { S: 'PROFILE' },
    type: { S: 'customer' },
    name: { S: 'Alice Martin' },
    email: { S: 'alice@example.com' },
    since: { S: '2023-11-02' },
  });

  // The GSI answers by status, in date order.
  await page.getByRole('button', { name: 'Shipped orders, oldest first (GSI)' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.results')).toContainText('Count');
  expect((await grid(page, page.locator('.results'))).map((row) => row[1])).toEqual(['sk', 'ORDER#2024-05-02#o1002', 'ORDER#2024-05-03#o1004', 'ORDER#2024-05-18#o1006']);

  // Limit stops the page early; LastEvaluatedKey is the last item's key, and Next page continues after it.
  await page.getByRole('button', { name: 'Page through with Limit' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Next page →' })).toBeVisible();
  const first = await grid(page, page.locator('.results'));
  const [, lastKey] = (await summary(page)).find(([term]) => term === 'LastEvaluatedKey')!;
  expect(first).toHaveLength(6);
  expect(JSON.parse(lastKey)).toEqual({ pk: { S: first[5][first[0].indexOf('pk')] }, sk: { S: first[5][first[0].indexOf('sk')] } });
  await page.getByRole('button', { name: 'Next page →' }).click();
  await expect(page.locator('.results')).not.toContainText(first[5][first[0].indexOf('sk')]);
  expect((await summary(page)).slice(0, 2)).toEqual([
    ['Count', '5'],
    ['ScannedCount', '5'],
  ]);

  // A condition that fails: DynamoDB's message beside the condition.
  await page.getByRole('button', { name: 'Ship an order: UpdateItem with a condition' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.results pre.item-json')).toContainText('"status": {\n    "S": "SHIPPED"\n  }');
  await expect(errorBeside(page, 'Condition expression')).toBeHidden();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(errorBeside(page, 'Condition expression')).toHaveText('ConditionalCheckFailedException: The conditional request failed');
  await page.getByRole('button', { name: 'Add a customer only if new' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(errorBeside(page, 'Condition expression')).toHaveText('ConditionalCheckFailedException: The conditional request failed');
  await page.screenshot({ path: `${SHOTS}/builder-condition-failed.png`, fullPage: true });
});

/** The grid row whose cells include all of `cells`. */
const row = (page: Page, ...cells: string[]) => cells.reduce((rows, cell) => rows.filter({ has: page.getByRole('cell', { name: cell, exact: true }) }), page.locator('main table.items tbody tr'));

test('editing an item as plain JSON: the grid shows it, and a reload keeps it', async ({ page, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin);
  await loadSample(page);
  await page.getByRole('link', { name: 'Items' }).click();
  await expect(row(page, 'CUSTOMER#alice', 'PROFILE')).toHaveCount(1);
  expect(await grid(page)).toHaveLength(22);
  await row(page, 'CUSTOMER#alice', 'PROFILE').getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByLabel('Item JSON');
  expect(JSON.parse(await editor.inputValue())).toEqual({
    pk: { S: 'CUSTOMER#alice' },
    sk: { S: 'PROFILE' },
    type: { S: 'customer' },
    name: { S: 'Alice Martin' },
    email: { S: 'alice@example.com' },
    since: { S: '2023-11-02' },
  });
  await page.getByLabel('Editor format').selectOption('plain');
  expect(JSON.parse(await editor.inputValue())).toEqual({ pk: 'CUSTOMER#alice', sk: 'PROFILE', type: 'customer', name: 'Alice Martin', email: 'alice@example.com', since: '2023-11-02' });
  await editor.fill(JSON.stringify({ pk: 'CUSTOMER#alice', sk: 'PROFILE', type: 'customer', name: 'Alice Martin-Li', email: 'alice@example.com', since: '2023-11-02', vip: true, visits: 12 }, null, 2));
  await page.screenshot({ path: `${SHOTS}/item-editor.png`, fullPage: true });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  const edited = ['CUSTOMER#alice', 'PROFILE', 'alice@example.com', 'Alice Martin-Li', '2023-11-02', 'customer', 'true', '12'];
  await expect(row(page, ...edited)).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/items.png`, fullPage: true });

  await page.reload();
  await expect(row(page, ...edited)).toHaveCount(1);
  await row(page, ...edited).getByRole('button', { name: 'Edit' }).click();
  expect(JSON.parse(await editor.inputValue())).toEqual({ pk: { S: 'CUSTOMER#alice' }, sk: { S: 'PROFILE' }, type: { S: 'customer' }, name: { S: 'Alice Martin-Li' }, email: { S: 'alice@example.com' }, since: { S: '2023-11-02' }, vip: { BOOL: true }, visits: { N: '12' } });

  // Deleting from the editor.
  await page.getByRole('button', { name: 'Delete item' }).click();
  await expect(row(page, 'CUSTOMER#alice', 'PROFILE')).toHaveCount(0);
  expect(await grid(page)).toHaveLength(21);

  // An index, and a Query of one partition.
  await page.getByLabel('Browse').selectOption('GSI1');
  await expect(page.locator('.pager')).toContainText('6 items');
  expect((await grid(page)).map((cells) => cells.slice(1, 5))).toEqual([
    ['pk', 'sk', 'GSI1PK', 'GSI1SK'],
    ...[
      // Partitions in the order of their keys' hashes, each in sort-key order.
      ['alice', '2024-05-02#o1002', 'SHIPPED'],
      ['bob', '2024-05-03#o1004', 'SHIPPED'],
      ['carol', '2024-05-18#o1006', 'SHIPPED'],
      ['alice', '2024-05-20#o1003', 'PENDING'],
      ['bob', '2024-05-21#o1005', 'PENDING'],
      ['alice', '2024-04-12#o1001', 'DELIVERED'],
    ].map(([customer, at, status]) => [`CUSTOMER#${customer}`, `ORDER#${at}`, `STATUS#${status}`, at]),
  ]);
  await page.getByLabel('Scan or Query').selectOption('Query');
  await page.getByLabel('Partition key value').fill('STATUS#SHIPPED');
  await page.getByLabel('Partition key value').press('Enter');
  await expect(page.locator('.pager')).toContainText('3 items');
  expect((await grid(page)).map((cells) => cells[4])).toEqual(['GSI1SK', '2024-05-02#o1002', '2024-05-03#o1004', '2024-05-18#o1006']);
  await page.getByLabel('Items per page').selectOption('10');
  await page.getByLabel('Browse').selectOption('');
  await page.getByLabel('Scan or Query').selectOption('Scan');
  await expect(page.locator('.pager')).toContainText('Page 1 · 10 items');
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect(page.locator('.pager')).toContainText('Page 3 · 0 items');
  await page.getByRole('button', { name: '← Previous' }).click();
  await expect(page.locator('.pager')).toContainText('Page 2 · 10 items');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/items-phone.png`, fullPage: true });
  await page.getByRole('link', { name: 'Operation builder' }).click();
  await page.screenshot({ path: `${SHOTS}/builder-phone.png`, fullPage: true });
});

test("invalid input shows DynamoDB's message beside the field", async ({ page, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin);
  await loadSample(page);

  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('button', { name: '+ Add item' }).click();
  const editor = page.getByLabel('Item JSON');
  expect(JSON.parse(await editor.inputValue())).toEqual({ pk: { S: '' }, sk: { S: '' } });
  await editor.fill('{ "sk": { "S": "x" } }');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(errorBeside(page, 'Item JSON')).toHaveText('ValidationException: One or more parameter values were invalid: Missing the key pk in the item');
  await page.screenshot({ path: `${SHOTS}/item-error.png`, fullPage: true });
  await editor.fill('{ "pk": { "S": "a" }, "sk": { "S": "b" }, "n": { "N": "abc" } }');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(errorBeside(page, 'Item JSON')).toHaveText('ValidationException: The parameter cannot be converted to a numeric value: abc');
  await editor.fill('{ "pk": { "S": "CUSTOMER#bob" }, "sk": { "S": "PROFILE" } }');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(errorBeside(page, 'Item JSON')).toHaveText('ConditionalCheckFailedException: The conditional request failed');
  await editor.fill('{ "pk": { "S": "a" }, "sk": { "S": "b" }, "n": { "N": "1" } }');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(row(page, 'a', 'b', '1')).toHaveCount(1);

  await page.getByRole('link', { name: 'Operation builder' }).click();
  await page.getByLabel('Operation').selectOption('UpdateItem');
  await page.getByLabel('pk (partition key, S)').fill('a');
  await page.getByLabel('Sort key value').fill('b');
  await page.getByLabel('Update expression').fill('SET status = :s');
  await page.getByLabel('Expression attribute values (DynamoDB JSON)').fill('{ ":s": { "S": "x" } }');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(errorBeside(page, 'Update expression')).toHaveText('ValidationException: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status');
  await page.getByLabel('Update expression').fill('SET');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(errorBeside(page, 'Update expression')).toHaveText('ValidationException: Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
  await page.getByLabel('Expression attribute values (DynamoDB JSON)').fill('{ ":s": ');
  await expect(errorBeside(page, 'Expression attribute values (DynamoDB JSON)')).toContainText('SyntaxError');

  await page.getByLabel('Operation').selectOption('Query');
  await page.getByLabel('Expression attribute values (DynamoDB JSON)').fill('');
  await page.getByLabel('pk (partition key, S) =').fill('');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(errorBeside(page, 'pk (partition key, S) =')).toHaveText(
    'ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
  );

  await page.getByRole('link', { name: '+ Create' }).click();
  await page.getByLabel('Table name').fill('ab');
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(errorBeside(page, 'Table name')).toHaveText(
    "ValidationException: 1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  );
  await page.getByLabel('Table name').fill('Shop');
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(errorBeside(page, 'Table name')).toHaveText('ResourceInUseException: Table already exists: Shop');
  await page.screenshot({ path: `${SHOTS}/create-error.png`, fullPage: true });
});

test('tables: create one from the form with a GSI and an LSI, read its description, delete it after confirming; create one from JSON', async ({ page, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin, '#/create');
  await page.getByLabel('Table name').fill('Music');
  await page.getByLabel('Partition key name').first().fill('Artist');
  await page.getByLabel('Sort key (optional) name').fill('Song');
  await page.getByLabel('Billing mode').selectOption('PROVISIONED');
  await page.getByLabel('Read capacity units').fill('3');
  await page.getByLabel('Write capacity units').fill('4');
  await page.getByRole('button', { name: '+ Global index' }).click();
  const gsi = page.locator('.index-row').nth(0);
  await gsi.getByLabel('Index name').fill('ByYear');
  await gsi.getByLabel('Partition key name').fill('Year');
  await gsi.getByLabel('Partition key type').selectOption('N');
  await gsi.getByLabel('Projection').selectOption('KEYS_ONLY');
  await page.getByRole('button', { name: '+ Local index' }).click();
  const lsi = page.locator('.index-row').nth(1);
  await lsi.getByLabel('Index name').fill('ByAlbum');
  await lsi.getByLabel('Sort key name').fill('Album');
  await lsi.getByLabel('Projection').selectOption('INCLUDE');
  await lsi.getByLabel('Projected attributes').fill('Title, Length');
  await page.screenshot({ path: `${SHOTS}/create-table.png`, fullPage: true });
  await page.getByRole('button', { name: 'Create table' }).click();

  await expect(page.getByRole('heading', { name: 'Music', level: 1 })).toBeVisible();
  const facts = await page.locator('dl.facts').locator('dt, dd').allInnerTexts();
  expect(facts.filter((_, i) => facts[i - (i % 2)] !== 'Created')).toEqual([
    'Status', 'ACTIVE',
    'Key', 'Artist (S, partition) + Song (S, sort)',
    'Billing mode', 'Provisioned',
    'Capacity', '3 RCU, 4 WCU',
    'Items', '0',
    'Size', '0 bytes',
    'ARN', 'arn:aws:dynamodb:us-east-1:000000000000:table/Music',
  ]);
  expect(await page.locator('table.grid tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => cell.textContent)))).toEqual([
    ['Name', 'Type', 'Key', 'Projection', 'Status', 'Items'],
    ['ByYear', 'GSI', 'Year (N, partition)', 'KEYS_ONLY', 'ACTIVE', '0'],
    ['ByAlbum', 'LSI', 'Artist (S, partition) + Album (S, sort)', 'INCLUDE (Title, Length)', 'ACTIVE', '0'],
  ]);
  await page.getByText('DescribeTable response').click();
  const described = JSON.parse(await page.getByLabel('DescribeTable JSON').innerText());
  expect(described.Table.GlobalSecondaryIndexes[0].ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  await page.screenshot({ path: `${SHOTS}/table.png`, fullPage: true });

  await page.getByRole('button', { name: 'Delete table…' }).click();
  await expect(page.getByRole('dialog')).toContainText('Delete table Music?');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.locator('#tables')).toHaveText('Music');
  await page.getByRole('button', { name: 'Delete table…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete table' }).click();
  await expect(page.locator('#tables')).toHaveText('No tables yet');

  await page.getByRole('link', { name: '+ Create' }).click();
  await page.getByRole('button', { name: 'Edit as JSON' }).click();
  const json = page.getByLabel('CreateTable request (JSON)');
  expect(JSON.parse(await json.inputValue())).toEqual({
    TableName: '',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await json.fill(JSON.stringify({ ...JSON.parse(await json.inputValue()), TableName: 'Notes', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(errorBeside(page, 'CreateTable request (JSON)')).toHaveText(
    'ValidationException: One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
  );
  await json.fill(JSON.stringify({ TableName: 'Notes', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible();
  await expect(page.locator('dl.facts')).toContainText('id (S, partition)');
});

test('offline: after the first visit the service worker serves the playground, and the data is still there', async ({ page, context, origin }) => {
  await open(page, origin);
  await loadSample(page);
  await page.getByRole('button', { name: 'The lines of an order' }).click();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('#tables')).toHaveText('Shop');
  expect(await page.evaluate(async () => (await fetch('./manifest.webmanifest')).json())).toMatchObject({ name: 'Tidepool playground', display: 'standalone', start_url: './' });
  // The builder's form survives the reload too; Ctrl+Enter runs it from any field.
  await page.getByLabel('Filter expression').press('Control+Enter');
  await expect(page.locator('.results table.items')).toBeVisible();
  expect(await grid(page, page.locator('.results'))).toEqual([
    ['pk', 'sk', 'price', 'product', 'quantity', 'type'],
    ['ORDER#o1006', 'LINE#01', '12', 'Mug', '4', 'line'],
    ['ORDER#o1006', 'LINE#02', '3.2', 'Coasters', '6', 'line'],
    ['ORDER#o1006', 'LINE#03', '8', 'Tea towel', '2', 'line'],
  ]);
  await page.screenshot({ path: `${SHOTS}/offline.png`, fullPage: true });
  // Opening it fresh with no network: a new tab of the same browser.
  const second = await context.newPage();
  await open(second, origin, '#/t/Shop/items');
  await expect(row(second, 'ORDER#o1006', 'LINE#03')).toHaveCount(1);
});

test('it is installable as an app: Chromium finds nothing missing in its manifest, icons and service worker', async ({ origin }) => {
  // A profile on disk: Chromium does not offer to install from an incognito context, Playwright's default.
  const profile = await mkdtemp(join(tmpdir(), 'tidepool-playground-'));
  const context = await chromium.launchPersistentContext(profile, launchOptions());
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await open(page, origin);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await context.newCDPSession(page);
    expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });
    const { url, data } = await cdp.send('Page.getAppManifest');
    expect([url, JSON.parse(data!).icons]).toEqual([
      `${origin}manifest.webmanifest`,
      [
        { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
      ],
    ]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test("a second tab shows the first tab's changes as they happen", async ({ page, context, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin);
  await loadSample(page);
  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 860 });
  await open(other, origin, '#/t/Shop/items');
  await expect(row(other, 'CUSTOMER#bob', 'PROFILE', 'Bob Chen')).toHaveCount(1);

  // Playwright's clicks wait for animation frames, which a background tab does not paint.
  await page.bringToFront();
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('button', { name: '+ Add item' }).click();
  await page.getByLabel('Editor format').selectOption('plain');
  await page.getByLabel('Item JSON').fill('{ "pk": "CUSTOMER#dave", "sk": "PROFILE", "name": "Dave Okafor" }');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(row(other, 'CUSTOMER#dave', 'PROFILE', 'Dave Okafor')).toHaveCount(1);

  await row(page, 'CUSTOMER#bob', 'PROFILE').getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Delete item' }).click();
  await expect(row(other, 'CUSTOMER#bob', 'PROFILE')).toHaveCount(0);
  await other.screenshot({ path: `${SHOTS}/second-tab.png`, fullPage: true });

  // A table created in one tab joins the other's list; when it is deleted, the tab showing it says so.
  await page.getByRole('link', { name: '+ Create' }).click();
  await page.getByLabel('Table name').fill('Later');
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(other.locator('#tables li')).toHaveText(['Later', 'Shop']);
  await other.getByRole('link', { name: 'Later' }).click();
  await expect(other.getByText('No items.')).toBeVisible();
  await page.getByRole('button', { name: 'Delete table…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete table' }).click();
  await expect(other.locator('main [role=alert]').filter({ hasText: 'Requested' })).toHaveText('ResourceNotFoundException: Requested resource not found');
  await expect(other.locator('#tables li')).toHaveText(['Shop']);
});

test('importing 20k items from a JSON file shows progress while the page keeps painting; exporting writes them all back', async ({ page, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin, '#/create');
  await page.getByRole('button', { name: 'Edit as JSON' }).click();
  await page.getByLabel('CreateTable request (JSON)').fill(
    JSON.stringify({ TableName: 'Events', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  await page.getByRole('button', { name: 'Create table' }).click();
  await page.getByRole('link', { name: 'Items' }).click();
  const items = Array.from({ length: 20_000 }, (_, i) => ({ id: { S: `event-${String(i).padStart(5, '0')}` }, n: { N: String(i) }, note: { S: 'x'.repeat(i % 100) } }));

  // Count frames, and the progress bar's values seen in them, for the length of the import.
  await page.evaluate(() => {
    const seen = { frames: 0, values: new Set<number>(), done: false };
    Object.assign(window, { seen });
    const tick = () => {
      if (seen.done) return;
      seen.frames++;
      const bar = document.querySelector('progress');
      if (bar && !bar.hidden) seen.values.add(bar.value);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByLabel('Import JSON file').setInputFiles({ name: 'events.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(items)) });
  await expect(page.getByRole('status')).toHaveText('Imported 20000 items from events.json', { timeout: 120_000 });
  const seen = await page.evaluate(() => {
    const seen = (window as unknown as { seen: { frames: number; values: Set<number>; done: boolean } }).seen;
    seen.done = true;
    return { frames: seen.frames, values: [...seen.values] };
  });
  expect(seen.frames).toBeGreaterThan(10);
  expect(seen.values.filter((value) => value > 0 && value < 20_000).length).toBeGreaterThan(3);
  await page.screenshot({ path: `${SHOTS}/imported.png`, fullPage: true });
  await page.getByRole('link', { name: 'Table', exact: true }).click();
  await expect(page.locator('dl.facts')).toContainText('Items20000');

  await page.getByRole('link', { name: 'Items' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(download.suggestedFilename()).toBe('Events.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as typeof items;
  exported.sort((a, b) => (a.id.S < b.id.S ? -1 : 1));
  expect(exported).toEqual(items);
  await expect(page.getByRole('status')).toHaveText('Exported 20000 items to Events.json');
});
