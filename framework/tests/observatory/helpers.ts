/**
 * What the observatory tests share: polling with a deadline, a reader of Server-Sent Events, and
 * a parser of the Prometheus text exposition format.
 */
import type { TraceEvent } from '../../src/ports/trace.js';

export { eventually } from '../fixtures/eventually.js';

/** An open `GET /stream`: the events received so far. */
export interface EventStream {
  readonly status: number;
  readonly events: TraceEvent[];
  close(): void;
}

/** Opens a Server-Sent Events stream and collects its `data:` events (JSON). */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: TraceEvent[] = [];
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          const frames = buffer.split('\n\n');
          buffer = frames.pop() ?? '';
          for (const frame of frames) {
            const data = frame.split('\n').filter((line) => line.startsWith('data: '));
            if (data.length > 0) events.push(JSON.parse(data.map((l) => l.slice(6)).join('\n')));
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  } else {
    await response.body?.cancel();
  }
  return { status: response.status, events, close: () => abort.abort() };
}

/** One sample of the exposition: `name{labels} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed exposition: its samples, and the TYPE and HELP of each metric family. */
export interface Exposition {
  readonly samples: readonly Sample[];
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

/**
 * Parses the Prometheus text format (version 0.0.4): `# HELP`, `# TYPE`, and sample lines with
 * quoted, escaped label values; throws on a line it cannot read, so a malformed exposition fails.
 */
export function parsePrometheus(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'TYPE' ? types : help).set(meta[2]!, meta[3]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    samples.push(parseSample(line));
  }
  return { samples, types, help };
}

function parseSample(line: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\d+)?$/.exec(line);
  if (!match) throw new Error(`not a sample line: ${line}`);
  const labels: Record<string, string> = {};
  const body = match[2]?.slice(1, -1) ?? '';
  const label = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;
  while (label.lastIndex < body.length) {
    const found = label.exec(body);
    if (!found) throw new Error(`bad labels in: ${line}`);
    labels[found[1]!] = found[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  const raw = match[3]!;
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`bad value in: ${line}`);
  return { name: match[1]!, labels, value };
}

/** The value of the sample `name` whose labels include `labels`; `undefined` when there is none. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return exposition.samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}
