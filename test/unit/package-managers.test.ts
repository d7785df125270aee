// What each package manager gets: its own commands everywhere the project names one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PACKAGE_MANAGERS } from '../../src/package-managers.ts';

describe('each package manager’s commands', () => {
  const COMMANDS = {
    npm: { install: 'npm install', dev: 'npm run dev', test: 'npm test', start: 'npm start' },
    pnpm: { install: 'pnpm install', dev: 'pnpm dev', test: 'pnpm test', start: 'pnpm start' },
    yarn: { install: 'yarn', dev: 'yarn dev', test: 'yarn test', start: 'yarn start' },
    bun: { install: 'bun install', dev: 'bun run dev', test: 'bun run test', start: 'bun run start' },
  };

  it('installs and runs scripts as each manager does', () => {
    // `pnpm setup` and `bun test` are the managers' own commands, not the scripts of those names
    assert.deepEqual(PACKAGE_MANAGERS.map((p) => p.run('setup')), ['npm run setup', 'pnpm run setup', 'yarn run setup', 'bun run setup']);
    assert.deepEqual(PACKAGE_MANAGERS.map((p) => p.id), Object.keys(COMMANDS));
    for (const manager of PACKAGE_MANAGERS) {
      const c = COMMANDS[manager.id];
      assert.deepEqual({ install: manager.install, dev: manager.run('dev'), test: manager.run('test'), start: manager.run('start') }, c);
    }
  });
});
