// The account scripts of package.json (user:add, user:passwd, user:remove, user:list) cannot work on
// the memory store: its accounts live inside the running app, and this would be another process.
console.error(
  'error: the memory store keeps accounts inside the running app, out of reach of the user:* scripts; in ' +
    'development, set DEMO_USER and DEMO_PASSWORD in .env (the account is made at start), or choose another store',
);
process.exit(1);
