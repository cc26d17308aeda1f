/**
 * Runs the public DynamoDB conformance suite (nubo-db/dynamodb-conformance, validated against real
 * DynamoDB) against `tidepool serve` and writes CONFORMANCE.md from the run.
 *
 *   node scripts/conformance.mjs /path/to/dynamodb-conformance
 *
 * The suite is not part of this repository: clone it, `npm ci` in it (its lock pins
 * @aws-sdk/client-dynamodb-streams 3.1012.0, which the registry lacks; `npm install
 * @aws-sdk/client-dynamodb-streams@3.1013.0` there fixes that), then run this after `npm run build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Tidepool } from '../dist/index.js';
import { serve } from '../dist/hosts/server.js';

/** Why a test still fails, by the start of its full name. Every remaining failure must be explained here. */
const REASONS = {};

const suite = process.argv[2];
if (!suite) {
  console.error('usage: node scripts/conformance.mjs /path/to/dynamodb-conformance');
  process.exit(2);
}

const db = await Tidepool.open();
const server = await serve(db, { port: 0 });
const out = join(mkdtempSync(join(tmpdir(), 'tidepool-conformance-')), 'result.json');
// The suite runs as a child process while this process serves it: spawnSync would block the server.
const code = await new Promise((resolve) => {
  const child = spawn('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${out}`], {
    cwd: suite,
    stdio: 'inherit',
    env: { ...process.env, DYNAMODB_ENDPOINT: server.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
  });
  child.on('exit', resolve);
});
await server.close();
await db.close();

const result = JSON.parse(readFileSync(out, 'utf8'));
const sdkVersion = JSON.parse(readFileSync(join(suite, 'node_modules/@aws-sdk/client-dynamodb/package.json'), 'utf8')).version;
const version = spawnSync('git', ['-C', suite, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const files = result.testResults.map((file) => {
  const path = relative(join(suite, 'tests'), file.name);
  const count = (status) => file.assertionResults.filter((a) => a.status === status).length;
  return { path, tier: path.split('/')[0], passed: count('passed'), failed: count('failed'), skipped: count('skipped') + count('pending') + count('todo'), failures: file.assertionResults.filter((a) => a.status === 'failed') };
});
files.sort((a, b) => a.path.localeCompare(b.path));

const sum = (rows, key) => rows.reduce((n, row) => n + row[key], 0);
const tiers = [...new Set(files.map((f) => f.tier))];
const lines = [
  '# Conformance',
  '',
  `Written by \`node scripts/conformance.mjs\` on ${new Date().toISOString().slice(0, 10)}: the public suite`,
  `[nubo-db/dynamodb-conformance](https://github.com/nubo-db/dynamodb-conformance)${version ? ` at ${version}` : ''}, whose every test is`,
  'validated against real DynamoDB, run against `tidepool serve` (in memory) with the AWS SDK for JavaScript v3.',
  '',
  `**${sum(files, 'passed')} of ${result.numTotalTests} passed**, ${sum(files, 'failed')} failed, ${sum(files, 'skipped')} skipped (the suite skips a file's tests when the endpoint answers its probe with UnknownOperationException).`,
  `The suite ran with @aws-sdk/client-dynamodb ${sdkVersion}. For comparison, the scores the suite publishes for other emulators:`,
  'Dynoxide 601, LocalStack 535, DynamoDB Local 530, dynalite 469 (89 failed, 43 skipped).',
  '',
  '| tier | passed | failed | skipped |',
  '| --- | --- | --- | --- |',
  ...tiers.map((tier) => {
    const rows = files.filter((f) => f.tier === tier);
    return `| ${tier} | ${sum(rows, 'passed')} | ${sum(rows, 'failed')} | ${sum(rows, 'skipped')} |`;
  }),
  '',
  '## Per file',
  '',
  '| file | passed | failed | skipped |',
  '| --- | --- | --- | --- |',
  ...files.map((f) => `| ${f.path} | ${f.passed} | ${f.failed} | ${f.skipped} |`),
  '',
  '## Failures and skips, with reasons',
  '',
];
const unexplained = [];
for (const f of files) {
  for (const failure of f.failures) {
    const reason = Object.entries(REASONS).find(([prefix]) => failure.fullName.startsWith(prefix))?.[1];
    if (!reason) unexplained.push(failure.fullName);
    lines.push(`- ${f.path}: ${failure.fullName} — ${reason ?? `unexplained: ${String(failure.failureMessages[0] ?? '').split('\n')[0]}`}`);
  }
  if (f.skipped > 0) lines.push(`- ${f.path}: ${f.skipped} skipped — the operations it probes for are not implemented yet`);
}
if (lines.at(-1) === '') lines.push('None.');
writeFileSync(new URL('../CONFORMANCE.md', import.meta.url), `${lines.join('\n')}\n`);
console.log(`\nwrote CONFORMANCE.md: ${sum(files, 'passed')} passed, ${sum(files, 'failed')} failed, ${sum(files, 'skipped')} skipped (suite exit ${code})`);
if (unexplained.length > 0) {
  console.error(`failures without a reason in REASONS:\n${unexplained.join('\n')}`);
  process.exitCode = 1;
}
