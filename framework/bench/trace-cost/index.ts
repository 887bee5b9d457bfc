/**
 * trace-cost: what the engine's trace events cost when nobody listens. Both sides run the same
 * engine over the same backlog (commands -> outbox -> inline broker -> stream subscription ->
 * projector, on the memory adapters, in test mode); "protean-ts" has its in-process trace
 * channel with no listener (the default), "baseline" has tracing turned off (`trace: false`),
 * so the ratio is the price of the `hasListeners()` guards alone.
 */
import { randomUUID } from 'node:crypto';
import { Domain, field } from 'protean-ts';
import { createInProcessTraceChannel, Engine } from 'protean-ts/server';
import type { TraceChannel } from 'protean-ts/server';
import { CorrectnessError } from '../lib/types.js';
import type { Benchmark, BenchOptions, Contender, Metrics, Setup } from '../lib/types.js';

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/** A domain whose commands each leave one event in the outbox for a projector to count. */
function createLedger() {
  const domain = new Domain({
    name: 'tracecost',
    config: {
      enable_outbox: true,
      event_processing: 'async',
      server: { default_subscription_type: 'stream', messages_per_tick: 100 },
    },
  });
  domain.useLogger(SILENT);
  const Order = domain.aggregate('Order', { sku: field.string({ required: true }) });
  const OrderPlaced = domain.event(
    'OrderPlaced',
    { orderId: field.identifier({ required: true }), sku: field.string({ required: true }) },
    { partOf: Order },
  );
  const PlaceOrder = domain.command(
    'PlaceOrder',
    { sku: field.string({ required: true }) },
    { partOf: Order },
  );
  const Placed = domain.projection('Placed', {
    orderId: field.identifier({ identifier: true }),
    sku: field.string({ required: true }),
  });
  domain.handle(PlaceOrder, async (command, { repository }) => {
    const order = new Order({ sku: command.sku });
    order.raise(OrderPlaced, { orderId: order.id, sku: command.sku });
    await repository(Order).add(order);
  });
  domain
    .projector('PlacedProjector', { projections: [Placed] })
    .on(OrderPlaced, async (event, { repository }) => {
      await repository(Placed).add(new Placed({ ...event }));
    });
  return { domain, PlaceOrder, Placed };
}

/** Fills the outbox with `orders` events, then times the engine draining them to the projection. */
async function drain(orders: number, trace: TraceChannel | false): Promise<Metrics> {
  const { domain, PlaceOrder, Placed } = createLedger();
  await domain.init();
  try {
    for (let n = 0; n < orders; n += 1) {
      await domain.process(new PlaceOrder({ sku: `sku-${randomUUID().slice(0, 4)}` }));
    }
    const started = process.hrtime.bigint();
    await new Engine(domain, { testMode: true, logger: SILENT, health: false, trace }).run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const projected = await domain.view(Placed).count();
    if (projected !== orders) {
      throw new CorrectnessError(trace ? 'protean-ts' : 'baseline', [
        `${projected} of ${orders} events reached the projection`,
      ]);
    }
    return { throughput: orders / seconds };
  } finally {
    await domain.close();
  }
}

function contender(
  name: string,
  trace: () => TraceChannel | false,
  options: BenchOptions,
): Contender {
  return {
    name,
    async warmUp() {
      if (options.warmup > 0) await drain(options.warmup, trace());
    },
    run: () => drain(options.commands, trace()),
  };
}

export const traceCost: Benchmark = {
  name: 'trace-cost',
  summary: 'engine drain with trace events and no listener vs tracing turned off (memory adapters)',
  metrics: [{ key: 'throughput', label: 'drain throughput', unit: 'events/s', better: 'higher' }],
  defaults: { commands: 10000, warmup: 2000 },
  async setUp(options: BenchOptions): Promise<Setup> {
    return {
      workload: `${options.commands} events drained from the outbox to a projector by the engine in test mode`,
      protean: contender('protean-ts', () => createInProcessTraceChannel(), options),
      baseline: contender('baseline', () => false, options),
      async close() {},
    };
  },
};
