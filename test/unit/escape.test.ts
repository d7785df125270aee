import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configToken, envValue, escaperFor, gitignorePath, jsLiteral, markdownText } from '../../src/escape.ts';

describe('escaping per output file', () => {
  it('writes JavaScript literals that evaluate back to the value', () => {
    for (const value of ['plain', `q"u'o\`te`, 'back\\slash', '${x}', '*/ end', 'line\nbreak', '\u2028', '</script>', 'ü']) {
      const literal = jsLiteral(value);
      assert.equal(new Function(`return ${literal};`)(), value);
      assert.doesNotMatch(literal, /<\/script/i);
    }
    assert.equal(jsLiteral(3000), '3000');
    assert.equal(jsLiteral(true), 'true');
    assert.equal(jsLiteral(null), 'null');
    assert.equal(jsLiteral(['redis:', 'rediss:']), '["redis:", "rediss:"]');
    assert.equal(jsLiteral([]), '[]');
    assert.throws(() => jsLiteral(undefined));
    assert.throws(() => jsLiteral([undefined]));
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
    assert.throws(() => escaperFor('Procfile'), /no escaping/);
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
