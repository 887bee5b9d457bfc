const cache = new Map<string, string>();

/** `OrderItem` -> `order_item`: stream categories and table names use this form. */
export function snakeCase(name: string): string {
  let snake = cache.get(name);
  if (snake === undefined) cache.set(name, (snake = toSnakeCase(name)));
  return snake;
}

function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
