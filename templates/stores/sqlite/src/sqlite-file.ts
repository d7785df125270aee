// Opens the SQLite file that holds the sessions and the accounts (session ids, password hashes),
// readable by this user only, whatever the umask: the file and its -wal and -shm 0600, and the
// directory 0700 when the app creates it.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') ownerOnly(path);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL'); // readers don't block the writer
    db.pragma('busy_timeout = 5000'); // wait for a lock instead of failing at once
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

// A mode given at creation is only ever narrowed by the umask, never widened, so nothing made here
// is readable by others even for a moment; chmod then makes it exact. SQLite creates -wal and -shm
// with the database file's mode, so they follow it.
function ownerOnly(path: string): void {
  const dir = resolve(dirname(path));
  const created = mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  // Only the directories made just now: an existing one may be shared (the project, /var/lib).
  if (created !== undefined) {
    for (let d = dir; ; d = dirname(d)) {
      chmodSync(d, DIR_MODE);
      if (d === created || d === dirname(d)) break;
    }
  }
  closeSync(openSync(path, 'a', FILE_MODE)); // create it before SQLite does (SQLite would use 0644)
  // Also tightens the files an older version of the app left readable by everyone.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, FILE_MODE);
  }
}
