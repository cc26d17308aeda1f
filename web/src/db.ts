/**
 * The playground's one database, "playground" (IndexedDB `tidepool:playground`), run by a
 * Tidepool worker: every tab of the playground opens it, and the tabs share it.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { openDatabase, type TidepoolDatabase } from 'tidepool/browser';

type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface TableDescription {
  TableName: string;
  TableStatus: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  ItemCount: number;
  TableSizeBytes: number;
  BillingModeSummary?: { BillingMode: string };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  [field: string]: unknown;
}

interface IndexDescription {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
  ItemCount?: number;
  [field: string]: unknown;
}

export const db: TidepoolDatabase = await openDatabase('playground');

export async function describe(TableName: string): Promise<TableDescription> {
  const { Table } = (await db.describeTable({ TableName })) as { Table: TableDescription };
  return Table;
}

export async function listTables(): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = (await db.listTables(start ? { ExclusiveStartTableName: start } : {})) as { TableNames: string[]; LastEvaluatedTableName?: string };
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** The key schema of the table, or of one of its indexes. */
export function keySchema(table: TableDescription, indexName?: string): KeyElement[] {
  if (!indexName) return table.KeySchema;
  const index = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === indexName);
  return index?.KeySchema ?? table.KeySchema;
}

export const attributeType = (table: TableDescription, name: string) => table.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType ?? 'S';

/** Item formats the editors speak: DynamoDB JSON as the API takes it, or plain JSON that @aws-sdk/util-dynamodb marshals. */
export type Format = 'dynamodb' | 'plain';

/** Plain JSON: a number beyond a double's precision stays its exact DynamoDB text. */
function toPlain(item: Item): unknown {
  return unmarshall(item as never, { wrapNumbers: (text: string) => (String(Number(text)) === text ? Number(text) : text) } as never);
}

/** For JSON.stringify of plain values: sets become arrays, as JSON has no sets, and binary base64. */
const plainJson = (_: string, v: unknown) => (v instanceof Set ? [...v] : v instanceof Uint8Array ? btoa(String.fromCharCode(...v)) : v);

/** JSON text of an item in a format. */
export function itemText(item: Item, format: Format): string {
  return JSON.stringify(format === 'dynamodb' ? item : toPlain(item), plainJson, 2);
}

/** Parses an editor's text in a format into DynamoDB JSON; a SyntaxError if it is not JSON. */
export function parseItem(text: string, format: Format): Item {
  const value: unknown = JSON.parse(text);
  return format === 'dynamodb' ? (value as Item) : fromPlain(value);
}

/** A plain JSON object as a DynamoDB item, marshalled by @aws-sdk/util-dynamodb. */
export function fromPlain(value: unknown): Item {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('A plain JSON item must be an object');
  return marshall(value as Record<string, unknown>, { removeUndefinedValues: true }) as unknown as Item;
}

/** An attribute value in one short line, as the item grid shows it. */
export function brief(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  const [type, v] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return String(v);
    case 'BOOL':
      return String(v);
    case 'NULL':
      return 'null';
    case 'SS':
    case 'NS':
    case 'BS':
      return `{${(v as string[]).join(', ')}}`;
    default:
      return JSON.stringify((toPlain({ v: value }) as { v: unknown }).v, plainJson);
  }
}

/** The key attributes of an item under a key schema. */
export function keyOf(item: Item, schema: KeyElement[]): Item {
  return Object.fromEntries(schema.map((k) => [k.AttributeName, item[k.AttributeName]]));
}
