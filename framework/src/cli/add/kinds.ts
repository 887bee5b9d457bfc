/** The kinds of element `protean add` makes, in the order `--help` lists them. */
export const KINDS = [
  'aggregate',
  'command',
  'event',
  'command-handler',
  'event-handler',
  'projection',
  'projector',
  'subscriber',
] as const;

/** One kind of element: `aggregate`, `command` ... */
export type Kind = (typeof KINDS)[number];
