import type { ProjectOptions } from './options.js';
import { withoutPassword } from './stores/url.js';
import type { TemplateContext } from './template-context.js';
import { MAX_TRUST_PROXY_HOPS } from './trust-proxy.js';
import { HOST_RULE } from './domain-and-port.js';
import type { ProjectTarget } from './project-name.js';

export function templateContext(options: ProjectOptions, target: ProjectTarget): TemplateContext {
  const { store, proxy, maxAge, absoluteTimeout, pm } = options;
  return {
    name: target.packageName,
    store: {
      id: store.id,
      label: store.label,
      phrase: store.phrase,
      kind: store.kind,
      url: withoutPassword(options.storeUrl),
      urlEnv: store.urlEnv,
      urlSchemes: [...store.urlSchemes],
      partials: `../stores/${store.id}/partials/`,
    },
    proxy: {
      id: proxy.id,
      label: proxy.label,
      host: proxy.host,
      // The setup's own value, or what --trust-proxy gave for a setup that takes it.
      trustProxy: options.trustProxy,
      maxTrustProxyHops: MAX_TRUST_PROXY_HOPS,
      sendsHsts: proxy.sendsHsts,
      servesHttps: proxy.servesHttps,
      partials: `../proxies/${proxy.id}/partials/`,
    },
    session: {
      maxAgeMs: maxAge.ms,
      maxAge: maxAge.text,
      maxAgeText: maxAge.words,
      rolling: options.rolling,
      absoluteTimeoutMs: absoluteTimeout?.ms ?? null,
      absoluteTimeout: absoluteTimeout?.text ?? 'none',
      absoluteTimeoutText: absoluteTimeout?.words ?? 'none',
    },
    port: options.port,
    domain: options.domain,
    hostRule: { ...HOST_RULE },
    pm: { name: pm.id, install: pm.install, run: (script) => pm.run(script) },
  };
}

