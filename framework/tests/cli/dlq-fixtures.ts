/**
 * A project for the tests of the operator commands (`protean dlq`, `outbox`, `subscriptions`):
 * the shop domain on in-memory ports that outlive `domain.close()`. Each `runCli()` loads the
 * domain and closes it; the ports stay, shared through `globalThis` under a key of the project's
 * own, so what one command leaves behind the next one sees, and the test can look at it too.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../src/core/envelope.js';
import type { Broker } from '../../src/ports/broker.js';
import type { EventStore } from '../../src/ports/event-store.js';
import type { OutboxStore } from '../../src/ports/outbox.js';
import { PROTEAN, PROTEAN_ADAPTER, project } from './fixtures.js';

/** The ports every command of one project uses (started by the first `domain.init()`). */
export interface SharedPorts {
  readonly broker: Broker;
  readonly event_store: EventStore;
  readonly outbox: OutboxStore;
}

/** What {@link operatorProject} builds. */
export interface OperatorProject {
  /** The project folder: run commands there. */
  readonly cwd: string;
  /** The shared ports, started (so the test can use them before any command ran). */
  ports(): Promise<SharedPorts>;
}

/** Options of {@link operatorProject}. */
export interface OperatorProjectOptions {
  /** `enable_outbox`. @defaultValue true */
  enableOutbox?: boolean;
  /** Declare no handler and no subscriber. @defaultValue false */
  empty?: boolean;
}

const HANDLERS = `
const Order = domain.aggregate('Order', { orderId: field.string({ required: true, identifier: true }) });
const OrderPlaced = domain.event('OrderPlaced', { orderId: field.identifier({ required: true }) }, { partOf: Order });
domain.eventHandler('Notifier').on(OrderPlaced, async () => undefined);
domain.eventHandler('Mailer').on(OrderPlaced, async () => undefined);
domain.eventHandler('Auditor', { subscription: { subscription_type: 'event_store' } })
  .on(OrderPlaced, async () => undefined);
domain.subscriber('WebOrders', { stream: 'orders-in' }, async () => undefined);
`;

function domainSource(key: string, options: OperatorProjectOptions): string {
  const config = {
    enable_outbox: options.enableOutbox ?? true,
    event_processing: 'async',
    databases: { default: { provider: 'shared' } },
    event_store: { provider: 'shared' },
    brokers: { default: { provider: 'shared' } },
    server: { default_subscription_type: 'stream' },
  };
  return `import { Domain, field } from '${PROTEAN}';
import {
  registerProvider, createInlineBroker, createMemoryDatabase,
  createMemoryEventStore, createMemoryIdempotencyStore, createMemoryOutbox,
} from '${PROTEAN_ADAPTER}';

/** The port with a close() that does nothing: the next command finds what this one left. */
const kept = (port) => new Proxy(port, {
  get(target, key) {
    if (key === 'close') return async () => undefined;
    const value = Reflect.get(target, key, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});
const ports = (globalThis[Symbol.for('${key}')] ??= {
  database: kept(createMemoryDatabase()),
  event_store: kept(createMemoryEventStore()),
  broker: kept(createInlineBroker()),
  outbox: kept(createMemoryOutbox()),
  idempotency: kept(createMemoryIdempotencyStore()),
});
for (const [port, adapter] of Object.entries(ports)) registerProvider(port, 'shared', async () => adapter);

export const domain = new Domain({ name: 'shop', config: ${JSON.stringify(config)} });
${options.empty ? '' : HANDLERS}`;
}

/**
 * A project whose `domain.ts` is the shop domain on shared in-memory ports.
 *
 * @example
 * const shop = await operatorProject();
 * const { broker } = await shop.ports();
 */
export async function operatorProject(
  options: OperatorProjectOptions = {},
): Promise<OperatorProject> {
  const key = `protean-ts.cli-test-ports.${randomUUID()}`;
  const cwd = await project({ 'domain.ts': domainSource(key, options) });
  const ports = async (): Promise<SharedPorts> => {
    const globals = globalThis as Record<symbol, SharedPorts | undefined>;
    if (!globals[Symbol.for(key)]) await import(new URL(`file://${cwd}/domain.ts`).href);
    const shared = globals[Symbol.for(key)]!;
    for (const port of [shared.broker, shared.event_store, shared.outbox]) await port.start();
    return shared;
  };
  return { cwd, ports };
}

/** An OrderPlaced envelope of order `orderId`, as the shop domain raises it. */
export function orderPlaced(orderId: string): Envelope {
  return {
    id: randomUUID(),
    type: 'Shop.OrderPlaced.v1',
    kind: 'EVENT',
    stream: `shop::order-${orderId}`,
    data: { orderId },
    metadata: { timestamp: '2024-01-01T00:00:00.000Z', correlationId: randomUUID(), headers: {} },
  };
}
