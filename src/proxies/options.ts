// The proxy setup's options: which setup, who the app trusts to set X-Forwarded-*, and whatever a
// setup declares for itself. Each setup module says whom it trusts; this file only asks.
import { pickChoice } from '../choices.js';
import { UsageError } from '../errors.js';
import { asString, option, ownOptions } from '../option-def.js';
import { MAX_TRUST_PROXY_HOPS, parseTrustProxy } from '../trust-proxy.js';
import { PROXIES, type ProxyModule } from './index.js';

/** The setups whose trusted proxy the user names with --trust-proxy ("--proxy custom"). */
const trustProxySetups = (): string =>
  PROXIES.filter((p) => p.takesTrustProxy)
    .map((p) => `--proxy ${p.id}`)
    .join(' or ');

export const PROXY_OPTIONS = {
  proxy: option<ProxyModule>({
    flag: '--proxy <setup>',
    help: 'what stands in front of the app',
    defaultHelp:
      `${PROXIES[0]!.id}; ${PROXIES.find((p) => p.takesTrustProxy)?.id ?? PROXIES[0]!.id} when ` +
      `--trust-proxy is given`,
    // --trust-proxy alone says the proxy is one only the user knows.
    default: (_, given) =>
      (given.trustProxy !== undefined ? PROXIES.find((p) => p.takesTrustProxy)?.id : undefined) ?? PROXIES[0]!.id,
    choices: () => PROXIES.map((p) => ({ value: p.id, label: p.label })),
    prompt: { kind: 'select', message: 'Reverse proxy' },
    parse: (raw) => pickChoice(PROXIES, asString(raw), '--proxy'),
  }),
  trustProxy: option<string>({
    flag: '--trust-proxy <hops|loopback|ip,cidr,…>',
    help:
      `who may set X-Forwarded-* for the app, with ${trustProxySetups()} only: a hop count ` +
      `up to ${MAX_TRUST_PROXY_HOPS}, loopback, linklocal, uniquelocal, or IPs/CIDRs`,
    defaultHelp: PROXIES.filter((p) => p.takesTrustProxy)
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
          `--trust-proxy only applies to ${trustProxySetups()}: --proxy ${proxy.id} trusts ` +
            `${proxy.trustProxy === 'false' ? 'no proxy' : proxy.trustProxy}; drop ` +
            `--trust-proxy, or use ${trustProxySetups()}.`,
        );
      }
      return proxy.trustProxy;
    },
  }),
  ...ownOptions(PROXIES, 'proxy'),
};
