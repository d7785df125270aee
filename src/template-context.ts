// What every template under templates/ can read. Templates print values with `<%= %>` only: the
// renderer picks the escape for the output file's language (a JS literal in .js, HTML in .html,
// Markdown in .md, a checked token in nginx and Caddy config), so a user value can never change the code.
import type { Duration } from './durations.js';
import { HOST_RULE } from './domain-and-port.js';
import type { ResolvedOptions } from './options.js';
import type { ProjectTarget } from './project-name.js';
import { withoutPassword } from './stores/url.js';
import { MAX_TRUST_PROXY_HOPS } from './trust-proxy.js';

export interface TemplateContext {
  /** npm package name of the generated app, e.g. "my-app" or "@acme/api". */
  name: string;
  store: {
    id: string;
    label: string;
    /** The store in a sentence, with its article: "a Redis" (… session store). */
    phrase: string;
    /** memory (in the process), file (one machine) or server (a URL every instance shares). */
    kind: 'memory' | 'file' | 'server';
    /**
     * Where the store lives: a file path for sqlite, a URL for servers; "" for memory. Never a
     * password: this goes into committed files (only the development .env gets the full URL).
     */
    url: string;
    /** The environment variable that overrides `url` ("SQLITE_PATH", "REDIS_URL", ...); "" if none. */
    urlEnv: string;
    /** URL schemes the app accepts in `urlEnv` ("redis:", "rediss:"); [] for a file path or none. */
    urlSchemes: string[];
    /**
     * The values of the options this store declares for itself (src/stores/types.ts `options`),
     * parsed, by key ("keyPrefix"); {} when it declares none.
     */
    options: Record<string, unknown>;
  };
  proxy: {
    id: string;
    label: string;
    /** Default HOST the app binds: 127.0.0.1 behind a proxy on the same host, 0.0.0.0 otherwise. */
    host: string;
    /**
     * Default TRUST_PROXY value as the app's env parser reads it: "loopback", "1", "false", or for
     * --proxy custom what --trust-proxy gave ("10.0.0.5,10.1.0.0/16"): checked, without spaces.
     */
    trustProxy: string;
    /** The largest TRUST_PROXY hop count the app accepts at start: the CLI's own limit for --trust-proxy. */
    maxTrustProxyHops: number;
    /** True when the proxy sends HSTS, so the app must not send it a second time. */
    sendsHsts: boolean;
    /** True when nobody in front terminates TLS: the app serves HTTPS itself in production. */
    servesHttps: boolean;
    /** The values of the options this setup declares for itself (src/proxies/types.ts `options`), parsed, by key. */
    options: Record<string, unknown>;
  };
  session: {
    /**
     * Lifetime of the session and its cookie: idle with rolling, from login without. In ms, as the
     * user wrote it ("30m") and in words ("30 minutes").
     */
    maxAge: Duration;
    rolling: boolean;
    /** Hard limit since login; null when the user chose "none". */
    absoluteTimeout: Duration | null;
  };
  port: number;
  /** The app's language, and its files' extension ("ts": Node runs the .ts files as they are). */
  typescript: boolean;
  ext: 'js' | 'ts';
  /** Public host name: the proxy config, the README, and the app's default PUBLIC_HOST (its HTTPS redirect). */
  domain: string;
  /**
   * The --domain rule (src/domain-and-port.ts), which the app's config.js applies to PUBLIC_HOST: a RegExp source for
   * one label, and the longest name.
   */
  hostRule: { label: string; maxLength: number };
  pm: {
    name: string;
    /** Full command lines for the chosen package manager, e.g. "npm run dev" / "pnpm dev". */
    install: string;
    run: (script: string) => string;
  };
}

/** What the templates see of the chosen options and the target. */
export function templateContext(options: ResolvedOptions, target: ProjectTarget): TemplateContext {
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
      options: ownValues(store, options),
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
      options: ownValues(proxy, options),
    },
    session: { maxAge, rolling: options.rolling, absoluteTimeout },
    port: options.port,
    typescript: options.typescript,
    ext: options.typescript ? 'ts' : 'js',
    domain: options.domain,
    hostRule: { ...HOST_RULE },
    pm: { name: pm.id, install: pm.install, run: (script) => pm.run(script) },
  };
}

/** The resolved values of the options a module declares for itself. */
function ownValues(module: { options?: object }, options: ResolvedOptions): Record<string, unknown> {
  return Object.fromEntries(Object.keys(module.options ?? {}).map((key) => [key, options[key]]));
}
