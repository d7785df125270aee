// A server the tests start (nginx, Caddy): spawned and tracked, its output collected, and waited for
// until it listens on its ports, or stopped with its output in the error when it exits or is late.
import { spawn, type SpawnOptions } from 'node:child_process';
import { isListening } from './ports.ts';
import { exited, GiveUp, terminate, track, waitFor } from './processes.ts';

export interface ListeningProcess {
  /** Its stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Spawns `command` (`name` in messages; `group`: in its own process group, stopped as one) and waits
 * until 127.0.0.1 accepts connections on every port of `ports`. On failure it is stopped and the
 * error holds its output, then what `diagnose()` adds (the config as run, an error log).
 */
export async function startListening(o: {
  name: string;
  command: string;
  args: string[];
  options: SpawnOptions;
  group?: boolean;
  ports: number[];
  timeoutMs: number;
  diagnose: () => Promise<string>;
}): Promise<ListeningProcess> {
  const child = track(spawn(o.command, o.args, { ...o.options, stdio: ['ignore', 'pipe', 'pipe'] }), {
    group: o.group ?? false,
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const running: ListeningProcess = { output: () => output, stop: () => terminate(child, 5000) };
  let exitedEarly = false;
  void exited(child).then(() => (exitedEarly = true));
  try {
    await waitFor(
      `${o.name} to listen on 127.0.0.1:${o.ports.join(' and :')}`,
      async () => {
        if (exitedEarly) throw new GiveUp(`${o.name} exited (code ${child.exitCode})`);
        for (const port of o.ports) if (!(await isListening(port))) return undefined;
        return true;
      },
      { timeoutMs: o.timeoutMs },
    );
  } catch (error) {
    await running.stop();
    throw new Error(`${(error as Error).message}\n--- ${o.name} output ---\n${output}\n${await o.diagnose()}`);
  }
  return running;
}
