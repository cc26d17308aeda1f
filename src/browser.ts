/**
 * Tidepool in a web page: the database runs in a Web Worker over IndexedDB, and the page talks to
 * it with DynamoDB's actions or through the AWS SDK.
 *
 * @example
 * import { openDatabase } from 'tidepool/browser';
 * const db = await openDatabase('app');
 * const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local', credentials, requestHandler: db.requestHandler() }));
 */
export { openDatabase, type ActionMethods, type OpenDatabaseOptions, type TidepoolDatabase } from './hosts/client.js';
export type { WorkerStats } from './hosts/worker-protocol.js';
export type { TidepoolRequestHandler } from './hosts/request-handler.js';
export type { Output } from './index.js';
