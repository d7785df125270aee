// A digest of a directory tree (every entry's relative path, type, mode and content) to prove that
// a command left it byte-for-byte as it was; and the list of a generated tree's files.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  async function walk(rel: string): Promise<void> {
    const abs = join(root, rel);
    const st = await lstat(abs);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      entries.set(rel || '.', `dir ${mode}`);
      for (const name of (await readdir(abs)).sort()) await walk(rel ? join(rel, name) : name);
    } else if (st.isSymbolicLink()) {
      entries.set(rel, `link ${await readlink(abs)}`);
    } else {
      const digest = createHash('sha256')
        .update(await readFile(abs))
        .digest('hex');
      entries.set(rel, `file ${mode} ${digest}`);
    }
  }
  await walk('');
  return entries;
}

/** Every file path under `root` (relative), node_modules left out. */
export async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(path);
  }
  return out.sort();
}
