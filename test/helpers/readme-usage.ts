// README.md's usage block is --help's text, generated from the options table; test/unit/usage.test.ts
// checks that README.md holds exactly this between the markers.
import { pathToFileURL } from 'node:url';
import { helpText } from '../../src/cli-args.ts';

export const USAGE_START = '<!-- usage: generated from src/options.ts (--help); test/unit/usage.test.ts checks it -->';
export const USAGE_END = '<!-- /usage -->';

/** What README.md holds between USAGE_START and USAGE_END, exactly. */
export function readmeUsageBlock(): string {
  return ['```', helpText().trimEnd(), '```'].join('\n');
}

// `node --import tsx test/helpers/readme-usage.ts` prints the README block, to paste.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(readmeUsageBlock());
