/**
 * Named failpoints for fault-injection tests: `PROTEAN_FAILPOINT=command.before_commit:0.5` kills
 * the process with SIGKILL when it reaches that point, with that probability (1 when omitted).
 * Several may be given, separated by commas. Unset, a failpoint costs one map lookup.
 *
 * Internal: the unit of work, the outbox processor and the subscriptions call it; no entry point
 * exports it (tests/surface checks that). It sits in `internal/`, an inner layer, so that each of
 * those layers can import it without depending on another.
 */
let armed: Map<string, number> | undefined;

function parse(spec: string | undefined): Map<string, number> {
  const points = new Map<string, number>();
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', probability] = part.split(':');
    points.set(name, probability === undefined ? 1 : Number(probability));
  }
  return points;
}

/**
 * Dies here if this failpoint is armed (see the module comment). A name says where it sits:
 * `command.before_commit`, `relay.after_publish`, ... (the crash tests arm them by these names).
 */
export function failpoint(name: string): void {
  armed ??= parse(process.env['PROTEAN_FAILPOINT']);
  const probability = armed.get(name);
  if (probability !== undefined && Math.random() < probability)
    process.kill(process.pid, 'SIGKILL');
}
