// Preloaded into the generated app by bench/memory.ts (`node --expose-gc --import <this file>`), so
// the app's own code stays as generated: on SIGUSR2 it runs a full collection and writes
// process.memoryUsage() to MEMORY_PROBE, the figures the bench reports.
import { renameSync, writeFileSync } from 'node:fs';

const out = process.env.MEMORY_PROBE;
if (out && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    // Twice: the first collection's finalisers can free more for the second.
    globalThis.gc();
    globalThis.gc();
    // Written aside, then renamed: the bench never reads half a file.
    writeFileSync(`${out}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${out}.tmp`, out);
  });
}
