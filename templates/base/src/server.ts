// Entry point: check the configuration, open the session and user stores, listen, and shut down cleanly.
import { createAccounts } from './accounts.ts';
import type { UserStore } from './accounts.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { createSessionStore } from './store.ts';
import { createUserStore } from './users.ts';

// How long an idle keep-alive connection stays open (Node's default is 5 s). Whatever stands in front
// of the app must close its idle connections to the app first: when the app closes one just as the
// proxy sends a request on it, that request fails (a 502). deploy/nginx.conf and deploy/Caddyfile
// close theirs after 60 s; load balancers after 60 s (AWS's default) or 90 s (Heroku's router).
// Behind one that keeps them longer, raise this above its idle timeout (see README.md, "Deploy").
const KEEP_ALIVE_TIMEOUT_MS = 95_000;

// One line, no stack trace: messages name the variable or file and never contain a secret.
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
let sessionStore: Awaited<ReturnType<typeof createSessionStore>>;
let users: UserStore;
let listener: ReturnType<typeof createHttpServer>;
try {
  config = loadConfig();
  sessionStore = await createSessionStore(config);
  users = await createUserStore(config);
  const accounts = createAccounts(users);
  if (config.demoAccount) {
    // Development: .env's DEMO_USER/DEMO_PASSWORD is a ready account (config.ts refuses it in production).
    const done = await accounts.ensure(config.demoAccount.name, config.demoAccount.password);
    if (done !== 'unchanged')
      console.log(`demo account ${config.demoAccount.name} ${done} from DEMO_USER/DEMO_PASSWORD`);
  }
  const app = createApp({
    config,
    sessionStore: sessionStore.store,
    ping: sessionStore.ping,
    rateLimitStore: sessionStore.rateLimitStore,
    accounts,
  });
  listener = createHttpServer(app, config);
} catch (err) {
  fail((err as Error).message);
}
for (const warning of config.warnings) console.warn(`warning: ${warning}`);

const { server, protocol } = listener;
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
// Above keepAliveTimeout, as Node's documentation asks, so a reused connection is never cut while
// the next request's headers arrive.
server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
server.on('error', (err) => fail(err.message)); // e.g. the port is already in use
server.listen(config.port, config.host, () => {
  console.log(`listening on ${protocol}://${config.host}:${config.port} (${config.env})`);
});

// SIGTERM comes from systemd, Docker or Kubernetes; SIGINT from Ctrl+C.
let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, shutting down`);
  setTimeout(() => process.exit(1), 10_000).unref(); // a stuck request must not block a deploy forever
  const closed = new Promise((resolve) => server.close(resolve)); // stop accepting; in-flight requests finish
  server.closeIdleConnections(); // don't wait for idle keep-alive connections
  await closed;
  await users.close(); // close the stores last, after the last request used them
  await sessionStore.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
