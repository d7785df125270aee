// What every template under templates/ can read. Templates print values with `<%= %>` only: the
// renderer picks the escape for the output file's language (a JS literal in .js, HTML in .html,
// Markdown in .md, a checked token in nginx and Caddy config), so a user value can never change the code.

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
     * The store's own README and .env.example text, for `include()` from templates/base/:
     * "../stores/<id>/partials/". Included output is already escaped, so it is printed with `<%-`.
     */
    partials: string;
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
    /**
     * The setup's own README and .env.example text, for `include()` from templates/base/:
     * "../proxies/<id>/partials/". Included output is already escaped, so it is printed with `<%-`.
     */
    partials: string;
  };
  session: {
    /** Idle lifetime of the session and its cookie. */
    maxAgeMs: number;
    /** The same, as the user wrote it ("30m") and in words ("30 minutes"). */
    maxAge: string;
    maxAgeText: string;
    rolling: boolean;
    /** Hard limit since login; null when the user chose "none". */
    absoluteTimeoutMs: number | null;
    absoluteTimeout: string;
    absoluteTimeoutText: string;
  };
  port: number;
  /** Public host name: the proxy config, the README, and the app's default PUBLIC_HOST (its HTTPS redirect). */
  domain: string;
  /** The --domain rule (src/domain-and-port.ts), which the app's config.js applies to PUBLIC_HOST: a RegExp source for one label, and the longest name. */
  hostRule: { label: string; maxLength: number };
  pm: {
    name: string;
    /** Full command lines for the chosen package manager, e.g. "npm run dev" / "pnpm dev". */
    install: string;
    run: (script: string) => string;
  };
}
