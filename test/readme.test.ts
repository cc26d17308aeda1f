import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = [...readFileSync(`${root}README.md`, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs a README example as a reader would: saved in the repository folder, importing the build (npm test builds it first). */
function runExample(code: string): string {
  const file = `${root}.readme-example.mjs`;
  writeFileSync(file, code);
  try {
    return execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    rmSync(file);
  }
}

it('README has its two examples', () => {
  expect(examples).toHaveLength(2);
});

it('README example runs as printed and prints what its comments say', () => {
  expect(runExample(examples[0])).toBe(
    "{\n  Artist: { S: 'Nina Simone' },\n  SongTitle: { S: 'Sinnerman' },\n  Year: { N: '1965' }\n}\n" +
      'ValidationException The provided key element does not match the schema\n',
  );
});

it('README AWS SDK example runs as printed and prints what its comment says', () => {
  expect(runExample(examples[1])).toBe("{ id: 'n1', text: 'offline first', tags: Set(1) { 'pwa' } }\n");
});
