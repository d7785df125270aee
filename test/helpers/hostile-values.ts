// Strings that are hostile in one language or another: the generated-code property test mixes them
// into every value it tries (test/unit/generated-code.property.test.ts), and the TypeScript apps that
// tsc checks are generated with all of them at once (test/e2e/typescript-hostile-values.test.ts).
export const HOSTILE = [
  `'`,
  `"`,
  '`',
  '\\',
  '${',
  '*/',
  '/*',
  '</script>',
  '<!--',
  '\n',
  '\r\n',
  '\u2028',
  '#',
  '$host',
  ';',
  '{',
  '}',
  '|',
  '[x](y)',
  'ü',
  '日本',
  '🙂',
  ' ',
] as const;

/** Every hostile string but those `refused` matches, joined: the nastiest value a check lets through. */
export const allHostileBut = (refused: RegExp): string => HOSTILE.filter((text) => !refused.test(text)).join('');
