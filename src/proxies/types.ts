import type { OptionTable } from '../option-def.js';

/**
 * One way the app is reached: a module here plus templates/proxies/<id>/, which overlays the base
 * (deploy files, src/ overrides) and whose `partials/<file>/<part>.ejs` fill the parts of base files
 * (README, .env.example, config.js, app.js, tests).
 */
export interface ProxyModule {
  id: string;
  label: string;
  /** Where the app listens by default. */
  host: string;
  /**
   * The app's default TRUST_PROXY: exactly the hops that may set X-Forwarded-*, never "true".
   * When `takesTrustProxy`, this is only the default of --trust-proxy.
   */
  trustProxy: string;
  /** Only the user knows where the proxy is, so they name it with --trust-proxy (refused otherwise). */
  takesTrustProxy: boolean;
  /** The proxy sends HSTS itself, so the app must not send a second header. */
  sendsHsts: boolean;
  /** Nobody in front terminates TLS: the app serves HTTPS itself in production (TLS_CERT, TLS_KEY). */
  servesHttps: boolean;
  /**
   * Flags and prompts only this setup takes, keyed as commander names the flag. The options table
   * gathers them after --trust-proxy; they are asked only when this setup is chosen and refused
   * with any other (option-def.ts `ownOptions`).
   * Their values reach the templates as `proxy.options` and --json (template-context.ts, describe-options.ts).
   */
  options?: OptionTable;
}
