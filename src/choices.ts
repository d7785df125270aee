import { quote, UsageError } from './errors.js';

/** Finds the entry with this id, or fails naming the choices and the closest one. */
export function pickChoice<T extends { id: string }>(entries: readonly T[], value: string, flag: string): T {
  const found = entries.find((entry) => entry.id === value);
  if (found) return found;
  const ids = entries.map((entry) => entry.id);
  const closest = closestMatch(value, ids);
  const hint = closest ? ` Did you mean ${flag} ${closest}?` : '';
  throw new UsageError(`Unknown ${flag} ${quote(value)}: choose one of ${ids.join(', ')}.${hint}`);
}

/** The candidate within a small edit distance of `value`, if any. */
function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  // One slip in a short word, more in a long one: "pip" is not a typo of "pnpm".
  const limit = Math.max(1, Math.floor(value.length / 3));
  return best && best.distance <= limit ? best.candidate : undefined;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: "ngnix" → "nginx" is one. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
