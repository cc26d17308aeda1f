/** A table to and from a JSON file: an array of items, in DynamoDB JSON or plain JSON. */
import { db, fromPlain, itemText, type Format, type Item } from './db.js';

/** BatchWriteItem's limit. */
const BATCH = 25;
/**
 * Batches sent together: the client sends the calls of one tick to the worker as one message, so
 * this many batches cost one round trip, and the page gets a turn to paint between rounds.
 */
const BATCHES_PER_ROUND = 8;

/** Writes `items` with BatchWriteItem, sending again what comes back unprocessed. */
async function writeBatch(TableName: string, items: Item[]): Promise<void> {
  let requests: unknown[] = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const output = (await db.batchWriteItem({ RequestItems: { [TableName]: requests } })) as { UnprocessedItems?: Record<string, unknown[]> };
    requests = output.UnprocessedItems?.[TableName] ?? [];
  }
}

/**
 * Imports a JSON file's items (an array, or an object with `Items` as an export or a Scan writes)
 * into `TableName`, reporting progress after each round. Stops at the first failure, which is
 * DynamoDB's error for the batch that failed; the batches before it are written.
 */
export async function importFile(file: Blob, TableName: string, format: Format, progress: (done: number, total: number) => void): Promise<number> {
  const parsed: unknown = JSON.parse(await file.text());
  const list = Array.isArray(parsed) ? parsed : (parsed as { Items?: unknown } | null)?.Items;
  if (!Array.isArray(list)) throw new TypeError('The file must hold a JSON array of items, or an object with an Items array');
  progress(0, list.length);
  for (let done = 0; done < list.length; ) {
    const round: Array<Promise<void>> = [];
    const end = Math.min(list.length, done + BATCH * BATCHES_PER_ROUND);
    for (let i = done; i < end; i += BATCH) {
      const items = list.slice(i, Math.min(end, i + BATCH)).map((item) => (format === 'dynamodb' ? (item as Item) : fromPlain(item)));
      round.push(writeBatch(TableName, items));
    }
    await Promise.all(round);
    done = end;
    progress(done, list.length);
    // A macrotask between rounds, so that the page paints and answers input while the worker writes.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return list.length;
}

/** Every item of the table, a Scan page at a time. */
async function scanAll(TableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = (await db.scan({ TableName, ...(start ? { ExclusiveStartKey: start } : {}) })) as { Items: Item[]; LastEvaluatedKey?: Item };
    items.push(...page.Items);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Downloads the table's items as `<table>.json` and answers how many there were. */
export async function exportTable(TableName: string, format: Format): Promise<number> {
  const items = await scanAll(TableName);
  const text = `[\n${items.map((item) => itemText(item, format)).join(',\n')}\n]\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: `${TableName}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return items.length;
}
