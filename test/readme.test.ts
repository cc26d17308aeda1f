import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('README example runs as printed and prints what its comments say', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)![1];
  // The example imports the build (npm test builds it first), exactly as a reader would run it.
  const file = `${root}.readme-example.mjs`;
  writeFileSync(file, code);
  try {
    const output = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    expect(output).toBe(
      "{\n  Artist: { S: 'Nina Simone' },\n  SongTitle: { S: 'Sinnerman' },\n  Year: { N: '1965' }\n}\n" +
        'ValidationException The provided key element does not match the schema\n',
    );
  } finally {
    rmSync(file);
  }
});
