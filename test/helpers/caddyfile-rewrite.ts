// The generated deploy/Caddyfile rewritten for a test run (caddy.ts copies it into a temp dir and
// runs it). Only these parts are rewritten, so what runs is what the user deploys:
//   - a global options block is put first (or merged into the file's own, which must not set the
//     same options): `admin off`, `http_port <free port>`, `default_bind 127.0.0.1`, storage in the
//     temp dir, `skip_install_trust`, HTTP/1.1 and HTTP/2 only (no UDP listener for HTTP/3), and a
//     1 s grace period so stop() is quick
//   - each site address (`example.com`, `https://example.com`, `http://example.com:80`, ...) ->
//     `https://<test domain>:<free port>` (or `http://<test domain>:<http port>` for an http:// one);
//     Caddy's automatic HTTP->HTTPS redirect then listens on the http port and points at that port
//   - a site served over HTTPS gets `tls <test cert> <test key>` as its first directive (a `tls`
//     line of its own is dropped), so Caddy never asks an ACME CA for a certificate
//   - only when asked (`upstreamPorts`): `reverse_proxy 127.0.0.1:<port>` (alone on its line or
//     opening a block, whose directives are kept) -> one upstream per given port, round robin,
//     retrying another one for up to 2 s when one is down (as nginx's default
//     proxy_next_upstream does with max_fails=0; see nginx.ts)

export interface CaddyRewriteOptions {
  /** Host name every site address is rewritten to (the test certificate's name). */
  domain: string;
  httpPort: number;
  httpsPort: number;
  certPath: string;
  keyPath: string;
  /** Caddy's storage (certificates, locks): a directory in the temp dir. */
  storageDir: string;
  /** Replace the upstream of `reverse_proxy 127.0.0.1:<port>` with one upstream per port (several app instances). */
  upstreamPorts?: number[];
}

export interface CaddyRewriteResult {
  text: string;
  /** One entry per change: "old -> new", "(added) line" or "old -> (dropped)". */
  changes: string[];
  /** The site addresses found in the source, as written there ("example.com"). */
  siteAddresses: string[];
  /** The upstreams of every `reverse_proxy` line in the source, before any rewrite ("127.0.0.1:3000"). */
  upstreams: string[];
  /** True when the source had a global options block of its own. */
  hadGlobalOptions: boolean;
}

/** Options the harness sets; a source that sets one of them itself is refused (it would conflict). */
const HARNESS_OPTIONS = [
  'admin',
  'http_port',
  'https_port',
  'default_bind',
  'storage',
  'skip_install_trust',
  'servers',
  'grace_period',
];

/** The Caddyfile tokens of one line: whitespace-separated, "…" and `…` quoted, `#` starting a comment. */
export function caddyTokens(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (/\s/.test(line[i]!)) {
      i++;
      continue;
    }
    if (line[i] === '#') break; // a comment runs to the end of the line
    let token = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const quote = line[i];
      if (quote === '"' || quote === '`') {
        const end = line.indexOf(quote, i + 1);
        if (end === -1) throw new Error(`Caddyfile: unterminated ${quote} in: ${line.trim()}`);
        token += line.slice(i, end + 1);
        i = end + 1;
      } else {
        token += line[i];
        i++;
      }
    }
    tokens.push(token);
  }
  return tokens;
}

function globalOptionLines(o: CaddyRewriteOptions, indent: string): string[] {
  return [
    `${indent}# test: written by test/helpers/caddy.ts`,
    `${indent}admin off`,
    `${indent}http_port ${o.httpPort}`,
    `${indent}default_bind 127.0.0.1`,
    `${indent}storage file_system ${o.storageDir}`,
    `${indent}skip_install_trust`,
    `${indent}grace_period 1s`,
    `${indent}servers {`,
    `${indent}${indent}protocols h1 h2`,
    `${indent}}`,
  ];
}

/** Pure: rewrites a Caddyfile's global options, site addresses and TLS for a test run (see top of file). */
export function rewriteCaddyfile(source: string, o: CaddyRewriteOptions): CaddyRewriteResult {
  const changes: string[] = [];
  const siteAddresses: string[] = [];
  const upstreams: string[] = [];
  const out: string[] = [];
  let depth = 0;
  let seenCode = false;
  let hadGlobalOptions = false;
  let block: 'global' | 'site' | undefined;
  let upstreamRewritten = false;

  for (const line of source.split('\n')) {
    const tokens = caddyTokens(line);
    const indent = /^\s*/.exec(line)![0];
    if (tokens.length === 0) {
      out.push(line);
      continue;
    }
    const opens = tokens.filter((t) => t === '{').length;
    const closes = tokens.filter((t) => t === '}').length;

    if (depth === 0) {
      if (!seenCode && tokens.length === 1 && tokens[0] === '{') {
        // The file's own global options block: ours go first inside it.
        seenCode = true;
        hadGlobalOptions = true;
        block = 'global';
        depth = 1;
        const added = globalOptionLines(o, '\t');
        out.push(line, ...added);
        changes.push(...added.map((l) => `(added to the global options) ${l.trim()}`));
        continue;
      }
      if (!seenCode) {
        seenCode = true;
        const added = ['{', ...globalOptionLines(o, '\t'), '}', ''];
        out.push(...added);
        changes.push(
          `(added) global options: ${added
            .map((l) => l.trim())
            .filter(Boolean)
            .join(' ')}`,
        );
      }
      if (tokens.at(-1) !== '{' || opens !== 1 || closes !== 0 || tokens.length < 2) {
        throw new Error(`Caddyfile: unexpected top-level line (expected "<site address> {"): ${line.trim()}`);
      }
      if (tokens[0]!.startsWith('('))
        throw new Error(`Caddyfile: snippets are not supported by the test harness: ${line.trim()}`);
      const addresses = tokens
        .slice(0, -1)
        .join(' ')
        .split(/[\s,]+/)
        .filter(Boolean);
      siteAddresses.push(...addresses);
      const http = addresses.every((a) => a.startsWith('http://'));
      const rewritten = http ? `http://${o.domain}:${o.httpPort}` : `https://${o.domain}:${o.httpsPort}`;
      const replacement = `${indent}${rewritten} {`;
      changes.push(`${line.trim()} -> ${replacement.trim()}`);
      out.push(replacement);
      if (!http) {
        const tls = `${indent}\ttls ${o.certPath} ${o.keyPath}`;
        out.push(tls);
        changes.push(`(added) ${tls.trim()}`);
      }
      block = 'site';
      depth = 1;
      continue;
    }

    if (depth === 1 && block === 'global' && HARNESS_OPTIONS.includes(tokens[0]!)) {
      throw new Error(
        `Caddyfile: the global option "${tokens[0]}" is set by the ` +
          `test harness; it cannot be tested as written: ${line.trim()}`,
      );
    }
    if (depth === 1 && block === 'site' && tokens[0] === 'tls') {
      if (opens > 0) throw new Error(`Caddyfile: a tls block is not supported by the test harness: ${line.trim()}`);
      changes.push(`${line.trim()} -> (dropped)`);
      out.push(`${indent}# test: dropped ${line.trim()}`);
      continue;
    }
    if (depth === 1 && block === 'site' && tokens[0] === 'reverse_proxy') {
      const targets = tokens.slice(1).filter((t) => t !== '{');
      upstreams.push(...targets);
      if (o.upstreamPorts !== undefined) {
        // one upstream, on a line of its own or opening the directive's block (kept as written)
        const opensBlock = opens === 1 && tokens.at(-1) === '{';
        if (
          (opens > 0 && !opensBlock) ||
          closes > 0 ||
          targets.length !== 1 ||
          !/^127\.0\.0\.1:\d+$/.test(targets[0]!)
        ) {
          throw new Error(
            `Caddyfile: unexpected reverse_proxy (expected "reverse_proxy ` +
              `127.0.0.1:<port>", alone or opening its block): ${line.trim()}`,
          );
        }
        const replacement = [
          `${indent}reverse_proxy ${o.upstreamPorts.map((port) => `127.0.0.1:${port}`).join(' ')} {`,
          `${indent}\tlb_policy round_robin`,
          `${indent}\tlb_try_duration 2s`,
          ...(opensBlock ? [] : [`${indent}}`]),
        ];
        changes.push(`${line.trim()} -> ${replacement.map((r) => r.trim()).join(' ')}`);
        out.push(...replacement);
        upstreamRewritten = true;
        if (opensBlock) depth += 1;
        continue;
      }
    }

    out.push(line);
    depth += opens - closes;
    if (depth < 0) throw new Error(`Caddyfile: unbalanced "}": ${line.trim()}`);
    if (depth === 0) block = undefined;
  }
  if (depth !== 0) throw new Error('Caddyfile: a block is not closed');
  if (siteAddresses.length === 0) throw new Error('Caddyfile: no site block');
  if (o.upstreamPorts !== undefined && !upstreamRewritten) {
    throw new Error('Caddyfile: upstreamPorts given, but no `reverse_proxy 127.0.0.1:<port>` to rewrite');
  }
  return { text: out.join('\n'), changes, siteAddresses, upstreams, hadGlobalOptions };
}
