// Preloaded into a generated app under sustained load (`node --max-semi-space-size=1 --import <this
// file>`): counts the collections V8 runs, by kind, and writes them to GC_REPORT on exit, so a test
// can show that GC ran while requests were served. It forces none: a collection requested from
// JavaScript (gc(), sync or async) finalises native objects inside a JavaScript context, and one at
// start-up took better-sqlite3 12's statements away safely, hiding the abort that V8's own collection
// causes on Node 24.19+. The small young generation (1 MB) makes V8's own collections frequent.
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const report = process.env.GC_REPORT;
const counts = { major: 0, minor: 0, incremental: 0, weakcb: 0 };
const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KINDS[entry.detail?.kind];
    if (kind) counts[kind]++;
  }
}).observe({ entryTypes: ['gc'] });
if (report) process.on('exit', () => writeFileSync(report, JSON.stringify(counts)));
