// The account scripts cannot reach accounts that live inside the running app: they say so in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/users.js', import.meta.url));

test('the user:* scripts refuse the memory store in one line, pointing at DEMO_USER/DEMO_PASSWORD', () => {
  const result = spawnSync(process.execPath, [script, 'list'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /^error: the memory store keeps accounts inside the running app[^\n]*DEMO_PASSWORD[^\n]*\n$/,
  );
});
