// Prettier wraps code at 120 columns but leaves long strings, regexes and comments as they are, and it
// does not read the .ts.ejs templates and their parts at all: this keeps those within the same width too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX = 120;
const CODE = /\.(ts|js|mjs)$|\.(js|ts)\.ejs$|partials\/.+\.ts\/[^/]+\.ejs$/;

/** The project's files as git sees them: tracked, or new and not ignored (so dist/ and generated apps are left out). */
function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0'))].filter((f) => CODE.test(f) && existsSync(join(ROOT, f)));
}

it("no line of the project's code is over 120 characters", () => {
  const files = projectFiles();
  assert.ok(files.length > 100, `expected the project's files, found ${files.length}`);
  const offenders = files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1}: ${line.length} characters`] : [])),
  );
  assert.equal(
    offenders.length,
    0,
    `lines over ${MAX} characters (split the string, or re-wrap the comment):\n${offenders.join('\n')}`,
  );
});
