/** Small helpers over TOML-like trees: tables (plain objects), lists and scalars. */

/** A TOML table or a plain object literal. */
export type Table = Record<string, unknown>;

/** A key path such as `['brokers', 'default', 'provider']`; list positions are numbers. */
export type KeyPath = readonly (string | number)[];

/** True for plain objects (smol-toml builds its tables with a null prototype). */
export function isTable(value: unknown): value is Table {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of tables and lists into ordinary objects; `undefined` entries are dropped. */
export function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (!isTable(value)) return value;
  const copy: Table = {};
  for (const [key, item] of Object.entries(value)) {
    // An own `__proto__` key (JSON.parse makes those) would replace the copy's prototype.
    if (item !== undefined && key !== '__proto__') copy[key] = cloneTree(item);
  }
  return copy;
}

/** `over` merged into a copy of `base`: tables merge key by key, anything else replaces. */
export function deepMerge(base: Table, over: Table): Table {
  const merged = cloneTree(base) as Table;
  for (const [key, item] of Object.entries(over)) {
    if (item === undefined || key === '__proto__') continue;
    const current = merged[key];
    merged[key] = isTable(current) && isTable(item) ? deepMerge(current, item) : cloneTree(item);
  }
  return merged;
}

/** The value at `path`, or `undefined` when any step is missing. */
export function getAt(tree: unknown, path: KeyPath): unknown {
  let node = tree;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isTable(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** `server.subscriptions.OrderHandler.profile`, `hosts[1]`, `custom."odd key"`. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else {
      const bare = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      text += text === '' ? bare : `.${bare}`;
    }
  }
  return text;
}

/** How a received value reads in a message: `"fast"`, `0`, `true`, `a list`, `a table`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return value === null ? 'null' : typeof value;
}
