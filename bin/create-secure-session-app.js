#!/usr/bin/env node
// The published package runs the single bundle built from src/ (see `npm run build`). The Node check
// comes first and in plain syntax, so an old Node gets one line instead of a stack trace from the bundle.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const message =
    `create-secure-session-app needs Node.js 22.12 or newer (22, 24 or 26); ` +
    `this is ${process.version}. Install a maintained Node.js and run it again.`;
  if (process.argv.includes('--json'))
    process.stdout.write(`${JSON.stringify({ ok: false, exitCode: 2, error: { message } })}\n`);
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}
// Node keeps the bundle compiled between runs (in the system's temp dir; NODE_COMPILE_CACHE moves it,
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): every run after the first skips parsing it.
const { default: nodeModule } = await import('node:module');
nodeModule.enableCompileCache?.();
const { main } = await import('../dist/index.js');
process.exitCode = await main(process.argv.slice(2));
