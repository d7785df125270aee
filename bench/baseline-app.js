// The yardsticks the generated app is measured against, copied into the generated app's directory
// so it resolves the same dependencies:
//   BASELINE=handwritten node baseline-app.js   a minimal hand-written express-session app on the
//                                               same store, built straight from the store library
//   BASELINE=ceiling node baseline-app.js       the same Express app without sessions
import express from 'express';
import session from 'express-session';

// How a person would open each store in a few lines, with the library's defaults.
const OPEN_STORE = {
  sqlite: async () => new (await import('./src/sqlite-store.js')).SqliteStore({ path: process.env.SQLITE_PATH }),
  memory: async () => new ((await import('memorystore')).default(session))({ checkPeriod: 60_000 }),
  redis: async () => {
    const client = (await import('redis')).createClient({ url: process.env.REDIS_URL });
    await client.connect();
    return new (await import('connect-redis')).RedisStore({ client, prefix: 'baseline:sess:' });
  },
  postgres: async () => {
    const PgStore = (await import('connect-pg-simple')).default(session);
    return new PgStore({ conString: process.env.DATABASE_URL, createTableIfMissing: true });
  },
  mysql: async () => {
    const MySQLStore = (await import('express-mysql-session')).default(session);
    const pool = (await import('mysql2')).default.createPool({ uri: process.env.DATABASE_URL });
    return new MySQLStore({ createDatabaseTable: true }, pool);
  },
};

const port = Number(process.env.PORT);
const app = express();
app.set('trust proxy', 'loopback');
app.use(express.json());
app.get('/health', (req, res) => res.json({ status: 'ok' })); // the bench waits for it

if (process.env.BASELINE === 'handwritten') {
  app.use(
    session({
      store: await OPEN_STORE[process.env.BENCH_STORE](),
      secret: process.env.SESSION_SECRET,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 30 * 60 * 1000 },
    }),
  );
  app.post('/login', (req, res) => {
    req.session.user = { name: 'demo' };
    res.json({ ok: true });
  });
  app.get('/me', (req, res) => res.json({ authenticated: Boolean(req.session.user), user: req.session.user }));
} else {
  app.get('/me', (req, res) => res.json({ authenticated: false }));
}

app.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
