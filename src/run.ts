// The one way this CLI runs another program (the package manager, git): its output kept for messages,
// stopped like a terminal's Ctrl-C when the run is cancelled. node:child_process is loaded on the first
// run: a generation with --no-install --no-git starts no program and need not load it.

/**
 * Runs `command` to its end, or until `signal` aborts: then it gets SIGINT, as from a terminal's Ctrl-C.
 * `code` is null when it could not start at all (not installed).
 */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  signal?: AbortSignal,
): Promise<{ code: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let output = '';
    // Windows needs a shell to find npm.cmd; the arguments here are ours, never the user's.
    const child = spawn(command, args, {
      cwd,
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGINT',
    });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // An abort also emits 'error' (AbortError); 'close' still follows once the program is gone.
    child.on('error', (error) => {
      if (error.name !== 'AbortError') resolve({ code: null, output: error.message });
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}
