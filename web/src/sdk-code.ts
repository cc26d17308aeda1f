/** A request as AWS SDK for JavaScript v3 code that sends it to DynamoDB. */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A JSON value as a JavaScript literal: keys unquoted where they can be, strings in single quotes. */
function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  // One short attribute value ({ S: 'x' }) stays on one line, as people write it.
  if (entries.length === 1 && (typeof entries[0][1] !== 'object' || entries[0][1] === null)) return `{ ${key(entries[0][0])}: ${literal(entries[0][1], inner)} }`;
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},`).join('\n')}\n${indent}}`;
}

const key = (name: string) => (IDENTIFIER.test(name) ? name : literal(name, ''));

/**
 * `action`'s request as a module: import the command, make a client, send, print. The region and
 * credentials come from the usual AWS configuration (environment, profile).
 */
export function sdkCode(action: string, input: unknown): string {
  const command = `${action}Command`;
  return [
    `import { DynamoDBClient, ${command} } from '@aws-sdk/client-dynamodb';`,
    '',
    'const client = new DynamoDBClient({});',
    `const output = await client.send(new ${command}(${literal(input, '')}));`,
    'console.log(output);',
    '',
  ].join('\n');
}
