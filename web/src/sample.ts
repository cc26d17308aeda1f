/**
 * The sample: an online shop in one table, as single-table designs model one. A customer's
 * profile and orders share a partition (CUSTOMER#id), an order's lines share another (ORDER#id),
 * and the GSI1 index finds orders by status, oldest first. The guided examples walk through it.
 */
import type { BuilderState } from './builder.js';
import { tablesChanged } from './app.js';
import { db, describe, type Item } from './db.js';

export const SAMPLE_TABLE = 'Shop';

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: String(value) });

const customers = [
  ['alice', 'Alice Martin', 'alice@example.com', '2023-11-02'],
  ['bob', 'Bob Chen', 'bob@example.com', '2024-01-15'],
  ['carol', 'Carol Diaz', 'carol@example.com', '2024-03-08'],
];

/** [order id, customer, date, status, lines: [product, quantity, unit price]]. */
const orders: Array<[string, string, string, string, Array<[string, number, number]>]> = [
  ['o1001', 'alice', '2024-04-12', 'DELIVERED', [['Tea kettle', 1, 39.9], ['Green tea, 100 g', 3, 7.5]]],
  ['o1002', 'alice', '2024-05-02', 'SHIPPED', [['Mug', 2, 12], ['Honey, 250 g', 1, 6.8]]],
  ['o1003', 'alice', '2024-05-20', 'PENDING', [['Teapot', 1, 54], ['Tea strainer', 2, 4.5]]],
  ['o1004', 'bob', '2024-05-03', 'SHIPPED', [['Coffee grinder', 1, 89], ['Coffee beans, 1 kg', 2, 24]]],
  ['o1005', 'bob', '2024-05-21', 'PENDING', [['Milk frother', 1, 29.5]]],
  ['o1006', 'carol', '2024-05-18', 'SHIPPED', [['Mug', 4, 12], ['Coasters', 6, 3.2], ['Tea towel', 2, 8]]],
];

/** The sample's items in DynamoDB JSON. */
function sampleItems(): Item[] {
  const items: Item[] = customers.map(([id, name, email, since]) => ({ pk: S(`CUSTOMER#${id}`), sk: S('PROFILE'), type: S('customer'), name: S(name), email: S(email), since: S(since) }));
  for (const [id, customer, date, status, lines] of orders) {
    const total = lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
    items.push({
      pk: S(`CUSTOMER#${customer}`),
      sk: S(`ORDER#${date}#${id}`),
      type: S('order'),
      orderId: S(id),
      status: S(status),
      total: N(Math.round(total * 100) / 100),
      lines: N(lines.length),
      GSI1PK: S(`STATUS#${status}`),
      GSI1SK: S(`${date}#${id}`),
    });
    lines.forEach(([product, quantity, price], i) =>
      items.push({ pk: S(`ORDER#${id}`), sk: S(`LINE#${String(i + 1).padStart(2, '0')}`), type: S('line'), product: S(product), quantity: N(quantity), price: N(price) }),
    );
  }
  return items;
}

const SAMPLE_SCHEMA = {
  TableName: SAMPLE_TABLE,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'GSI1PK', AttributeType: 'S' },
    { AttributeName: 'GSI1SK', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

/** Creates the Shop table unless it is there, waits for it to be ACTIVE, and (re)writes the sample items. */
export async function loadSample(): Promise<void> {
  try {
    await db.createTable(SAMPLE_SCHEMA);
    tablesChanged();
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  while ((await describe(SAMPLE_TABLE)).TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 20));
  const items = sampleItems();
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(db.batchWriteItem({ RequestItems: { [SAMPLE_TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  await Promise.all(batches);
}

interface Example {
  title: string;
  text: string;
  state: BuilderState;
}

/** The guided tour of the sample, in the order a newcomer meets the ideas. */
export const EXAMPLES: Example[] = [
  {
    title: "A customer's profile",
    text: 'GetItem reads one item by its whole key: partition key and sort key.',
    state: { operation: 'GetItem', pk: 'CUSTOMER#alice', sk: 'PROFILE' },
  },
  {
    title: 'Everything about a customer',
    text: 'Query reads one partition: the profile and the orders share CUSTOMER#alice, so one request fetches them together.',
    state: { operation: 'Query', pk: 'CUSTOMER#alice', skOp: '' },
  },
  {
    title: "A customer's orders, newest first",
    text: 'begins_with on the sort key keeps only the orders; ScanIndexForward false reverses the sort-key order.',
    state: { operation: 'Query', pk: 'CUSTOMER#alice', skOp: 'begins_with', sk: 'ORDER#', descending: true },
  },
  {
    title: 'Orders placed in May 2024',
    text: 'BETWEEN on a sort key that starts with the date selects a range of orders.',
    state: { operation: 'Query', pk: 'CUSTOMER#alice', skOp: 'between', sk: 'ORDER#2024-05-01', sk2: 'ORDER#2024-05-31~' },
  },
  {
    title: 'The lines of an order',
    text: 'Order lines live in the partition ORDER#id, in line order.',
    state: { operation: 'Query', pk: 'ORDER#o1006', skOp: '' },
  },
  {
    title: 'Shipped orders, oldest first (GSI)',
    text: 'The GSI1 index is keyed by status and date, so it answers "which orders are shipped" without a Scan.',
    state: { operation: 'Query', index: 'GSI1', pk: 'STATUS#SHIPPED', skOp: '' },
  },
  {
    title: 'Big order lines: Scan with a filter',
    text: 'A Scan reads every item and the filter drops some after reading: compare Count and ScannedCount.',
    state: { operation: 'Scan', filter: '#type = :line AND quantity >= :q', names: '{ "#type": "type" }', values: '{ ":line": { "S": "line" }, ":q": { "N": "3" } }', projection: 'pk, sk, product, quantity' },
  },
  {
    title: 'Page through with Limit',
    text: 'Limit 5 stops after five items and returns LastEvaluatedKey; Next page continues from it.',
    state: { operation: 'Scan', limit: '5' },
  },
  {
    title: 'Ship an order: UpdateItem with a condition',
    text: 'status is a reserved word, hence #status. The condition makes the update fail if the order is no longer PENDING: run it twice.',
    state: {
      operation: 'UpdateItem',
      pk: 'CUSTOMER#bob',
      sk: 'ORDER#2024-05-21#o1005',
      update: 'SET #status = :shipped, GSI1PK = :index',
      condition: '#status = :pending',
      names: '{ "#status": "status" }',
      values: '{ ":shipped": { "S": "SHIPPED" }, ":index": { "S": "STATUS#SHIPPED" }, ":pending": { "S": "PENDING" } }',
      returnValues: 'ALL_NEW',
    },
  },
  {
    title: 'Add a customer only if new',
    text: 'attribute_not_exists(pk) turns PutItem into "insert": alice exists, so DynamoDB refuses.',
    state: {
      operation: 'PutItem',
      item: '{\n  "pk": { "S": "CUSTOMER#alice" },\n  "sk": { "S": "PROFILE" },\n  "name": { "S": "Alice Again" }\n}',
      condition: 'attribute_not_exists(pk)',
    },
  },
];
