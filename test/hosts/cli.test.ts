import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/hosts/cli.js', import.meta.url));

it('`tidepool demo` (npm start) runs a session and prints each response', () => {
  const lines = execFileSync(process.execPath, [cli], { encoding: 'utf8' }).split('\n');
  expect(lines.filter((line) => line.startsWith('> ')).map((line) => line.split(' ')[1])).toEqual(['CreateTable', 'PutItem', 'PutItem', 'GetItem', 'Scan', 'PutItem']);
  expect(lines).toContain('< {"Item":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Sinnerman"},"Year":{"N":"1965"}}}');
  expect(lines).toContain('< ValidationException: One or more parameter values were invalid: Type mismatch for key Artist expected: S actual: N');
});

it('rejects an unknown command', () => {
  let status = 0;
  let stderr = '';
  try {
    execFileSync(process.execPath, [cli, 'frobnicate'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    status = (error as { status: number }).status;
    stderr = (error as { stderr: string }).stderr;
  }
  expect([status, stderr]).toEqual([
    2,
    "tidepool: unknown command 'frobnicate'\nUsage:\n  tidepool serve [--port 8000] [--host 127.0.0.1] [--credentials FILE] [--data DIR]\n  tidepool demo\n",
  ]);
});
