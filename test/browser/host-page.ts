/**
 * The page host.spec.ts drives: an app that imports the built `tidepool/browser` bundle and the
 * AWS SDK, as an app would, and leaves them on `window.host` for `page.evaluate` to use; and
 * bench/host.js's measurements.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocumentQueryCommand } from '@aws-sdk/lib-dynamodb';
import { openDatabase, type TidepoolDatabase } from 'tidepool/browser';
import { loadItem, TABLE } from './data.js';
import { bench } from './host-bench.js';

const host = {
  openDatabase,
  loadItem,
  TABLE,
  /** A DynamoDBClient and its DocumentClient answered by `db` with no network. */
  clients(db: TidepoolDatabase) {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: db.requestHandler() });
    return { client, document: DynamoDBDocumentClient.from(client) };
  },
  bench,
  /** A connection of the page's own to IndexedDB database `name`, beside the worker's. */
  indexedDb(name: string): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  },
  commands: { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, GetCommand, PutCommand, DocumentQueryCommand },
};

declare global {
  interface Window {
    host: typeof host;
  }
}

window.host = host;
