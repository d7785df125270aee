// The proxy setup's options: which setup, who the app trusts to set X-Forwarded-*, and whatever a
// setup declares for itself. Each setup module says whom it trusts; this file only asks.
import { pickChoice } from '../choices.js';
import { UsageError } from '../errors.js';
import { asString, ownOptions } from '../option-def.js';
import { projectOption } from '../project-options.js';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from '../trust-proxy.js';
import type { ProxyModule } from './types.js';

/** The setups whose trusted proxy the user names with --trust-proxy ("--proxy custom"). */
const trustProxySetups = (proxies: readonly ProxyModule[]): string =>
  proxies
    .filter((p) => p.takesTrustProxy)
    .map((p) => `--proxy ${p.id}`)
    .join(' or ');

/** The options for choosing among these setups: the CLI's (proxies/index.ts), or a test's. */
export const proxyOptions = (proxies: readonly ProxyModule[]) => ({
  proxy: projectOption<ProxyModule>({
    flag: '--proxy <setup>',
    help: 'what stands in front of the app',
    defaultHelp:
      `${proxies[0]!.id}; ${proxies.find((p) => p.takesTrustProxy)?.id ?? proxies[0]!.id} when ` +
      `--trust-proxy is given`,
    // --trust-proxy alone says the proxy is one only the user knows.
    default: (_, given) =>
      (given.trustProxy !== undefined ? proxies.find((p) => p.takesTrustProxy)?.id : undefined) ?? proxies[0]!.id,
    choices: () => proxies.map((p) => ({ value: p.id, label: p.label })),
    prompt: { kind: 'select', message: 'Reverse proxy' },
    parse: (raw) => pickChoice(proxies, asString(raw), '--proxy'),
  }),
  trustProxy: projectOption<string>({
    flag: '--trust-proxy <hops|loopback|ip,cidr,…>',
    help:
      `who may set X-Forwarded-* for the app, with ${trustProxySetups(proxies)} only: a hop count ` +
      `up to ${MAX_TRUST_PROXY_HOPS}, loopback, linklocal, uniquelocal, or IPs/CIDRs`,
    defaultHelp: proxies
      .filter((p) => p.takesTrustProxy)
      .map((p) => p.trustProxy)
      .join(', '),
    default: (soFar) => (soFar.proxy?.takesTrustProxy ? soFar.proxy.trustProxy : undefined),
    prompt: {
      kind: 'input',
      message: 'Trusted proxy (hop count, loopback, uniquelocal, or IPs/CIDRs)',
      when: (soFar) => soFar.proxy?.takesTrustProxy === true,
    },
    // Every other setup knows its proxy (nginx: loopback; paas: 1 hop; none: nobody), so a value
    // given with it contradicts it; the result is always the app's default TRUST_PROXY.
    parse: (raw, soFar) => {
      const proxy = soFar.proxy!; // resolved above: --proxy comes first here
      if (proxy.takesTrustProxy) return parseTrustProxy(asString(raw));
      if (raw !== undefined) {
        throw new UsageError(
          `--trust-proxy only applies to ${trustProxySetups(proxies)}: --proxy ${proxy.id} trusts ` +
            `${proxy.trustProxy === 'false' ? 'no proxy' : proxy.trustProxy}; drop ` +
            `--trust-proxy, or use ${trustProxySetups(proxies)}.`,
        );
      }
      return proxy.trustProxy;
    },
  }),
  ...ownOptions(proxies, 'proxy'),
});
