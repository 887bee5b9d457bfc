/**
 * XRANGE for the inline broker: which stored entries fall between two bounds, with the bound
 * rules of Redis (an id without `-<seq>` means its first entry as a start and its last as an end;
 * `(` excludes the id).
 */
import { positiveInteger, rangeBound } from '../../ports/checks/broker.js';
import type { RangeOptions } from '../../ports/broker.js';

/** `[ms, seq]`, compared as numbers; `Infinity` stands for Redis's largest sequence number. */
type Position = readonly [number, number];

/**
 * The entries of `entries` (in id order) from `options.start` to `options.end`, at most
 * `options.count` of them, after the same argument checks as the Redis broker.
 */
export function selectRange<T extends { readonly id: string }>(
  entries: readonly T[],
  options: RangeOptions,
): T[] {
  const low = position(rangeBound('start', options.start ?? '-'), 'start');
  const high = position(rangeBound('end', options.end ?? '+'), 'end');
  const count = positiveInteger('count', options.count ?? 100);
  const selected: T[] = [];
  for (const entry of entries) {
    if (selected.length >= count) break;
    const at = position(entry.id, 'start');
    if (compare(at, low) < 0) continue;
    if (compare(at, high) > 0) break;
    selected.push(entry);
  }
  return selected;
}

/** Where a bound (or an entry id, read as a start) sits; an exclusive bound moves one step in. */
function position(bound: string, side: 'start' | 'end'): Position {
  if (bound === '-') return [0, 0];
  if (bound === '+') return [Infinity, Infinity];
  const exclusive = bound.startsWith('(');
  const [ms = '0', seq] = (exclusive ? bound.slice(1) : bound).split('-');
  const at: Position = [
    Number(ms),
    seq === undefined ? (side === 'start' ? 0 : Infinity) : Number(seq),
  ];
  if (!exclusive) return at;
  return side === 'start' ? [at[0], at[1] + 1] : [at[0], at[1] - 1];
}

function compare(a: Position, b: Position): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}
