// Renders the README's performance figures from the benches' saved results. Run: npm run bench:readme
import { readFileSync, writeFileSync } from 'node:fs';
import { renderBlock, replaceBlock } from './render.ts';
import { BENCHES, loadResults } from './results.ts';

const readme = new URL('../README.md', import.meta.url);
const block = renderBlock(Object.fromEntries(BENCHES.map((b) => [b, loadResults(b)])));
writeFileSync(readme, replaceBlock(readFileSync(readme, 'utf8'), block));
console.log(`README.md: performance figures rendered from ${BENCHES.filter((b) => loadResults(b)).join(', ')}`);
