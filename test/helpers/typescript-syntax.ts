// TypeScript's own reading of generated .ts files, for the generated-code property test.
// TypeScript 7 is native (Go); its JavaScript API is under typescript/unstable/*: the scanner is a
// JavaScript port (in process), and the parser runs in the tsgo process that the sync API spawns and
// talks to. One such process serves a whole test run; each batch of files goes into a fresh virtual
// directory (nothing touches the disk), and only syntax is asked for, so no types or imports are needed.
import { API } from 'typescript/unstable/sync';
import { createVirtualFileSystem } from 'typescript/unstable/fs';
import { createScanner, SyntaxKind } from 'typescript/unstable/ast';

/** A tsgo process that reports the syntax errors of .ts files. Close it when done. */
export class TypeScriptSyntax {
  private readonly fs = createVirtualFileSystem({});
  private readonly api = new API({ cwd: '/', fs: this.fs });
  private batches = 0;

  /** Each syntax error of these files, as `path:offset message`; the empty list when they all parse. */
  errors(files: ReadonlyMap<string, string>): string[] {
    const dir = `/batch-${++this.batches}`;
    const paths = [...files.keys()].filter((path) => path.endsWith('.ts'));
    for (const path of paths) this.fs.writeFile!(`${dir}/${path}`, files.get(path)!);
    // noLib, noResolve and no types: the parser alone, no standard library or import to load
    const options = { noLib: true, noResolve: true, types: [], allowImportingTsExtensions: true, noEmit: true };
    this.fs.writeFile!(`${dir}/tsconfig.json`, JSON.stringify({ compilerOptions: options, files: paths }));
    const config = `${dir}/tsconfig.json`;
    const snapshot = this.api.updateSnapshot({ openProjects: [config] });
    try {
      const program = snapshot.getProject(config)!.program;
      return paths.flatMap((path) =>
        program.getSyntacticDiagnostics(`${dir}/${path}`).map((d) => `${path}:${d.pos} ${d.text}`),
      );
    } finally {
      snapshot.dispose();
      this.api.updateSnapshot({ closeProjects: [config] });
      for (const path of [...paths, 'tsconfig.json']) this.fs.removeFile!(`${dir}/${path}`);
    }
  }

  close(): void {
    this.api.close();
  }
}

// After these a `/` divides; after anything else it starts a regular expression (as the parser decides).
const ENDS_EXPRESSION = new Set([
  SyntaxKind.Identifier,
  SyntaxKind.PrivateIdentifier,
  SyntaxKind.NumericLiteral,
  SyntaxKind.BigIntLiteral,
  SyntaxKind.StringLiteral,
  SyntaxKind.RegularExpressionLiteral,
  SyntaxKind.NoSubstitutionTemplateLiteral,
  SyntaxKind.TemplateTail,
  SyntaxKind.CloseParenToken,
  SyntaxKind.CloseBracketToken,
  SyntaxKind.CloseBraceToken,
  SyntaxKind.PlusPlusToken,
  SyntaxKind.MinusMinusToken,
  SyntaxKind.ThisKeyword,
  SyntaxKind.SuperKeyword,
  SyntaxKind.NullKeyword,
  SyntaxKind.TrueKeyword,
  SyntaxKind.FalseKeyword,
]);

/**
 * The kinds of the tokens of a .ts file as TypeScript's scanner reads them, comments skipped and
 * literal values left out. The scanner alone does not know where a template's `${…}` ends or where a
 * regular expression starts (the parser tells it); this does what the parser would, with a stack of
 * open braces, so that text inside a template or a pattern is never read as code.
 */
export function typeScriptTokens(text: string): string[] {
  const scanner = createScanner(true, undefined, text);
  const braces: ('block' | 'template')[] = [];
  const kinds: string[] = [];
  let previous = SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EndOfFile; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken) braces.push('block');
    else if (kind === SyntaxKind.TemplateHead) braces.push('template');
    else if (kind === SyntaxKind.CloseBraceToken && braces.pop() === 'template') {
      kind = scanner.reScanTemplateToken(false);
      if (kind === SyntaxKind.TemplateMiddle) braces.push('template');
    } else if ((kind === SyntaxKind.SlashToken || kind === SyntaxKind.SlashEqualsToken) && !endsExpression(previous))
      kind = scanner.reScanSlashToken();
    // An unterminated literal means the scanner lost its place: name it, so that the shapes differ.
    kinds.push(scanner.isUnterminated() ? `unterminated ${SyntaxKind[kind]}` : SyntaxKind[kind]!);
    previous = kind;
  }
  return kinds;
}

// Keywords that are not reserved words (type, as, of, …) are names where an expression ends: `of / 2`.
const endsExpression = (kind: SyntaxKind) =>
  ENDS_EXPRESSION.has(kind) || (kind > SyntaxKind.LastReservedWord && kind <= SyntaxKind.LastKeyword);
