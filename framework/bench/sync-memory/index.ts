/**
 * sync-memory: `domain.process()` of commands through handler -> aggregate -> repository ->
 * event -> projector on memory adapters, against the same logic in plain classes and Maps.
 */
import { AllocationSampler, collectGarbage, gcExposed, heapUsed } from '../lib/heap.js';
import { LatencyRecorder, latencyMetricSpecs } from '../lib/measure.js';
import type {
  Benchmark,
  BenchOptions,
  Contender,
  ExtraFigure,
  Metrics,
  Setup,
} from '../lib/types.js';
import { baselineShelves } from './baseline.js';
import { proteanShelves } from './protean.js';
import { drive, verify } from './workload.js';
import type { Shelf } from './workload.js';

type Open = () => Promise<Shelf>;

/** Opens a fresh shelf, uses it, and closes it whatever happens. */
async function session<T>(open: Open, use: (shelf: Shelf) => Promise<T>): Promise<T> {
  const shelf = await open();
  try {
    return await use(shelf);
  } finally {
    await shelf.close();
  }
}

function contender(name: string, open: Open, books: number, warmupBooks: number): Contender {
  return {
    name,
    async warmUp() {
      if (warmupBooks > 0) await session(open, (shelf) => drive(shelf, warmupBooks));
    },
    async run(): Promise<Metrics> {
      return session(open, async (shelf) => {
        const recorder = new LatencyRecorder();
        const expected = await drive(shelf, books, (step) => recorder.time(step));
        const metrics = await recorder.finish();
        await verify(name, shelf, expected);
        return metrics;
      });
    },
  };
}

/** Bytes allocated per command (sampled) and heap retained per book (needs --expose-gc). */
async function heapProbe(
  name: string,
  open: Open,
  books: number,
): Promise<{ allocated: number; retained: number }> {
  return session(open, async (shelf) => {
    await collectGarbage();
    const before = heapUsed();
    const sampler = new AllocationSampler();
    const expected = await drive(shelf, books, (step) => sampler.sample(step));
    await collectGarbage();
    const retained = gcExposed() ? (heapUsed() - before) / books : Number.NaN;
    await verify(name, shelf, expected);
    return { allocated: sampler.bytesPerStep, retained };
  });
}

async function heapFigures(protean: Open, baseline: Open, books: number): Promise<ExtraFigure[]> {
  const p = await heapProbe('protean-ts', protean, books);
  const b = await heapProbe('baseline', baseline, books);
  const retainedNote = gcExposed()
    ? 'heap growth after a full GC, stores still open'
    : 'needs NODE_OPTIONS=--expose-gc';
  return [
    {
      label: 'allocated per command',
      unit: 'bytes',
      protean: p.allocated,
      baseline: b.allocated,
      note: 'mean heap growth per command, commands with a GC left out',
    },
    {
      label: 'retained heap per book',
      unit: 'bytes',
      protean: p.retained,
      baseline: b.retained,
      note: retainedNote,
    },
  ];
}

async function setUp(options: BenchOptions): Promise<Setup> {
  const books = Math.max(1, Math.floor(options.commands / 2));
  const warmupBooks = Math.floor(options.warmup / 2);
  const protean = proteanShelves();
  const baseline = baselineShelves();
  return {
    workload:
      `${2 * books} commands (${books} x AddBook, ${books} x RepriceBook, interleaved), one at a time, on fresh stores; ` +
      `warm-up ${2 * warmupBooks} commands on other fresh stores before each run`,
    protean: contender('protean-ts', protean, books, warmupBooks),
    baseline: contender('baseline', baseline, books, warmupBooks),
    extras: () => heapFigures(protean, baseline, books),
    async close() {},
  };
}

export const syncMemory: Benchmark = {
  name: 'sync-memory',
  summary:
    'domain.process() through handler -> aggregate -> repository -> event -> projector on memory adapters, vs plain classes and Maps',
  metrics: latencyMetricSpecs('cmd'),
  defaults: { commands: 4000, warmup: 1000 },
  setUp,
};
