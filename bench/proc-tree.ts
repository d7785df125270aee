// Peak memory of a process and everything it starts (npm, its node-gyp, make and compilers), sampled
// from /proc: the summed RSS of the whole tree at once, and the largest single process. Linux only.
import { readdirSync, readFileSync } from 'node:fs';

export interface TreePeak {
  /** The largest summed RSS of the tree seen in one sample, in bytes. */
  tree: number;
  /** The largest RSS of any one process of the tree, in bytes. */
  process: number;
  /** The most processes alive in the tree at once. */
  processes: number;
  samples: number;
}

const PAGE = 4096;

/** pid → [ppid, rss in bytes] for every process readable now. */
function snapshot(): Map<number, [number, number]> {
  const all = new Map<number, [number, number]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid … rss(24th field)"; comm may hold spaces and parens.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), [Number(fields[1]), Number(fields[21]) * PAGE]);
    } catch {
      // the process ended between readdir and read
    }
  }
  return all;
}

/** Samples the tree under `root` every `everyMs` until `stop()`, which returns the peaks. */
export function sampleTree(root: number, everyMs = 50): { stop: () => TreePeak } {
  const peak: TreePeak = { tree: 0, process: 0, processes: 0, samples: 0 };
  const sample = () => {
    const all = snapshot();
    const children = new Map<number, number[]>();
    for (const [pid, [ppid]] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let sum = 0;
    let count = 0;
    for (const stack = [root]; stack.length > 0;) {
      const pid = stack.pop()!;
      const rss = all.get(pid)?.[1];
      if (rss === undefined) continue;
      sum += rss;
      count++;
      peak.process = Math.max(peak.process, rss);
      stack.push(...(children.get(pid) ?? []));
    }
    peak.tree = Math.max(peak.tree, sum);
    peak.processes = Math.max(peak.processes, count);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
