/** One way the app is reached: a module here plus templates/proxies/<id>/. */
export interface ProxyModule {
  id: string;
  label: string;
  /** Where the app listens by default. */
  host: string;
  /** The app's default TRUST_PROXY: exactly the hops that may set X-Forwarded-*, never "true". */
  trustProxy: string;
  /** The proxy sends HSTS itself, so the app must not send a second header. */
  sendsHsts: boolean;
}
