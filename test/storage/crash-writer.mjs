/**
 * Child process for the SIGKILL test: `node crash-writer.mjs <dir> <round>` opens the durable
 * database in <dir>, prints "ready", then writes until it is killed, with 1 to 16 writes in flight:
 * PutItems (new keys and overwrites) and two-item transactions. It prints "ack <key> <value>" only
 * after a write's promise resolved, i.e. once the database says it is durable.
 */
import { Tidepool } from '../../dist/index.js';

const [dir, round] = process.argv.slice(2);
// Small bounds: checkpoints (pages, manifest, the log cut) and partition splits happen under the kill too.
const db = await Tidepool.open({ path: dir, checkpointBytes: 16 * 1024, partitionMaxBytes: 64 * 1024 });
if (!(await db.send('ListTables', {})).TableNames.includes('crash')) {
  await db.send('CreateTable', {
    TableName: 'crash',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  while ((await db.send('DescribeTable', { TableName: 'crash' })).Table.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 1));
}
console.log('ready');

let n = 0;
const ack = (key, value) => process.stdout.write(`ack ${key} ${value}\n`);
async function one() {
  const i = n++;
  const value = `${round}:${i}`;
  if (i % 5 === 4) {
    const a = `t${round}_${i}a`;
    const b = `t${round}_${i}b`;
    await db.send('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'crash', Item: { pk: { S: a }, v: { S: value } } } },
        { Put: { TableName: 'crash', Item: { pk: { S: b }, v: { S: value } } } },
      ],
    });
    ack(a, value);
    ack(b, value);
  } else {
    const key = i % 3 === 0 ? `k${i % 50}` : `u${round}_${i}`;
    await db.send('PutItem', { TableName: 'crash', Item: { pk: { S: key }, v: { S: value }, pad: { S: 'x'.repeat(i % 300) } } });
    ack(key, value);
  }
}
for (;;) {
  const inFlight = 1 + (n % 16);
  await Promise.all(Array.from({ length: inFlight }, one));
}
