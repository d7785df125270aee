import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizer } from 'acorn';
import fc from 'fast-check';
import { configToken, envValue, escaperFor, gitignorePath, jsLiteral, markdownText } from '../../src/escape.ts';

describe('escaping per output file', () => {
  it('writes JavaScript literals that evaluate back to the value', () => {
    for (const value of [
      'plain',
      `q"u'o\`te`,
      'back\\slash',
      '${x}',
      '*/ end',
      'line\nbreak',
      '\u2028',
      '</script>',
      'ü',
    ]) {
      const literal = jsLiteral(value);
      assert.equal(new Function(`return ${literal};`)(), value);
      assert.doesNotMatch(literal, /<\/script/i);
    }
    assert.equal(jsLiteral(3000), '3000');
    assert.equal(jsLiteral(true), 'true');
    assert.equal(jsLiteral(null), 'null');
    assert.equal(jsLiteral(['redis:', 'rediss:']), "['redis:', 'rediss:']");
    assert.equal(jsLiteral([]), '[]');
    assert.throws(() => jsLiteral(undefined));
    assert.throws(() => jsLiteral([undefined]));
  });

  it('writes JavaScript as a person would: single-quoted strings, numbers with separators', () => {
    assert.equal(jsLiteral('demo'), "'demo'");
    assert.equal(jsLiteral('3000'), "'3000'"); // a string stays a string: only the quotes change
    assert.equal(jsLiteral(`it's "x"`), `'it\\'s "x"'`);
    assert.equal(jsLiteral('a\\b'), `'a\\\\b'`);
    assert.equal(jsLiteral('line\nbreak\ttab'), `'line\\nbreak\\ttab'`);
    assert.equal(jsLiteral('-- <name>'), "'-- <name>'"); // a `<` is escaped only where it opens `</` or `<!--`
    assert.equal(jsLiteral('🙂 日本'), "'🙂 日本'");
    const numbers: Array<[number, string]> = [
      [0, '0'],
      [9999, '9999'],
      [10_000, '10_000'],
      [65_535, '65_535'],
      [1_800_000, '1_800_000'],
      [31_536_000, '31_536_000'],
      [-12_345, '-12_345'],
      [1.5, '1.5'],
      [123_456.5, '123456.5'],
      [1e21, '1e+21'],
    ];
    for (const [value, literal] of numbers) {
      assert.equal(jsLiteral(value), literal);
      assert.equal(new Function(`return ${literal};`)(), value);
    }
    assert.throws(() => jsLiteral(Number.NaN));
    assert.throws(() => jsLiteral(Infinity));
  });

  it('writes every string, however hostile, as one literal that evaluates back to it', () => {
    const hostile = ["'", "\\'", '\\', '\u2028', '\u2029', '\r\n', '\0' + '1', '\x7f', '\b\f\v', '${x}', '`'];
    const markup = ['</script>', '</SCRIPT', '<!--'];
    const loneSurrogates = ['\ud800', '\udfff', 'a\udc00b', '\ud83d\ud83d\ude42'];
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const value = fc.oneof(
      fc.constantFrom(...hostile, ...markup, ...loneSurrogates),
      fc.string({ unit: codeUnit }),
      fc.string({ unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 4 }).map((parts) => parts.join('')),
        (text) => {
          const literal = jsLiteral(text);
          // one string token, in strict code too (no legacy octal escape such as \01)
          const tokens = [...tokenizer(literal, { ecmaVersion: 'latest', sourceType: 'module' })];
          assert.deepEqual(
            tokens.map((token) => token.type.label),
            ['string'],
          );
          assert.equal(new Function(`'use strict'; return ${literal};`)(), text);
          assert.equal(Buffer.from(literal, 'utf8').toString('utf8'), literal, 'survives being written as UTF-8');
          assert.doesNotMatch(literal, /[\n\r\u2028\u2029]|<\/|<!--/i);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('neutralises Markdown and HTML in prose', () => {
    assert.equal(markdownText('<b>*x*</b>'), '&lt;b&gt;\\*x\\*&lt;/b&gt;');
    assert.equal(markdownText('a\nb'), 'a b');
  });

  it('lets only plain tokens into proxy configs', () => {
    assert.equal(configToken('app.example.com'), 'app.example.com');
    assert.throws(() => configToken('x; return 200'));
    assert.throws(() => configToken('a}'));
  });

  it('quotes .env values that need it and refuses what cannot be quoted', () => {
    assert.equal(envValue('./data/sessions.db'), './data/sessions.db');
    assert.equal(envValue('./my data/s.db'), '"./my data/s.db"');
    assert.throws(() => envValue('a"b'));
    assert.throws(() => envValue('a\nB=1'));
  });

  it('picks the escape from the output extension and refuses unknown ones', () => {
    assert.equal(escaperFor('src/app.js'), jsLiteral);
    assert.equal(escaperFor('deploy/nginx.conf'), configToken);
    assert.throws(() => escaperFor('data.yaml'), /no escaping/);
  });

  it('picks the escape of a file without an extension by its name: a Caddyfile takes plain tokens', () => {
    assert.equal(escaperFor('deploy/Caddyfile'), configToken);
    assert.equal(escaperFor('Caddyfile'), configToken);
    assert.equal(escaperFor('Procfile'), configToken); // `web: node src/server.js`
    assert.throws(() => escaperFor('Makefile'), /no escaping/);
    assert.throws(() => escaperFor('deploy/Caddyfile.bak'), /no escaping/);
    assert.throws(() => escaperFor('deploy/constructor'), /no escaping/);
    // what would open a block or a placeholder, start a comment, or split a token in a Caddyfile
    for (const value of ['a{', '{env.HOME}', 'a}', 'a b', '#x', '"x"', '`x`', 'a\\b', 'a\nb', 'import x']) {
      assert.throws(() => configToken(value), /Cannot write/, JSON.stringify(value));
    }
  });

  it('lets only literal paths into .gitignore: no pattern, negation or comment', () => {
    assert.equal(escaperFor('.gitignore'), gitignorePath);
    assert.equal(gitignorePath('data/'), 'data/');
    for (const value of ['*.db', '!data/', '#x', 'a b', 'a\nb', 'a[b]', 'a\\b']) {
      assert.throws(() => gitignorePath(value), /Cannot write/, JSON.stringify(value));
    }
  });
});
