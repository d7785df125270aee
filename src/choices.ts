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
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const limit = Math.max(2, Math.floor(value.length / 3));
  return best && best.distance <= limit ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
