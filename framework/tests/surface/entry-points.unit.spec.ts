/**
 * The public surface, entry point by entry point: the names each one exports at run time, so that
 * a change to what users can import is made on purpose (update the snapshot in the same change,
 * and say so in the CHANGELOG). Types are checked where they matter: the packages' own typecheck.
 */
import { describe, expect, it } from 'vitest';

const entries = {
  'protean-ts': () => import('protean-ts'),
  'protean-ts/adapter': () => import('protean-ts/adapter'),
  'protean-ts/postgres': () => import('protean-ts/postgres'),
  'protean-ts/redis': () => import('protean-ts/redis'),
  'protean-ts/server': () => import('protean-ts/server'),
  'protean-ts/observatory': () => import('protean-ts/observatory'),
  'protean-ts/testing': () => import('protean-ts/testing'),
} as const;

type Entry = keyof typeof entries;

async function namesOf(entry: Entry): Promise<string[]> {
  return Object.keys(await entries[entry]()).sort();
}

/** What adapter authors and the engine use: never in the application's entry point. */
const ADAPTER_AND_ENGINE_NAMES = [
  'registerProvider',
  'registeredProviders',
  'createProvider',
  'providerNames',
  'BUILTIN_PROVIDERS',
  'NO_PROVIDERS',
  'createRetryPolicy',
  'backoffSeconds',
  'NoGroupError',
  'BrokerUnavailableError',
  'compareEntryIds',
  'INLINE_BROKER_CAPABILITIES',
  'OUTBOX_STATUSES',
  'setDefaultLogger',
  'defaultLogger',
  'createConsoleLogger',
  'levelFromEnvironment',
  'createInlineBroker',
  'createMemoryDatabase',
  'createMemoryEventStore',
  'createMemoryOutbox',
  'createMemoryIdempotencyStore',
  'Engine',
  'OutboxProcessor',
];

/** The engine's parts: inside protean-ts/server, not exported by it. */
const ENGINE_INTERNALS = [
  'drainRounds',
  'stopAll',
  'outboxWorker',
  'ConsumeLoop',
  'Backoff',
  'SubscriptionFactory',
  'dispatcherName',
  'Supervisor',
  'StreamSubscription',
  'EventStoreSubscription',
  'BrokerSubscription',
  'GroupSubscription',
  'categoryStream',
  'processorOwner',
  'findSubscription',
  'parseDeadLetterId',
  'countDeadLettersByGroup',
  'otherGroups',
  'savePosition',
  'loadPosition',
];

describe('the entry points', () => {
  it('protean-ts exports what an application uses', async () => {
    expect(await namesOf('protean-ts')).toMatchInlineSnapshot(`
      [
        "AggregateRoot",
        "BUILTIN_PROFILES",
        "CommandMessage",
        "ConfigurationError",
        "Domain",
        "Element",
        "Entity",
        "EventDispatchError",
        "EventHandlerBuilder",
        "EventMessage",
        "ExpectedVersionError",
        "IdentifiedElement",
        "IncorrectUsageError",
        "InvariantViolation",
        "Message",
        "NotFoundError",
        "Projection",
        "ProteanError",
        "Repository",
        "ValidationError",
        "ValueObject",
        "categoryOf",
        "checkConfig",
        "defaultConfig",
        "field",
        "loadConfig",
        "resolveSubscriptionOptions",
        "snakeCase",
        "streamId",
        "streams",
      ]
    `);
  });

  it('protean-ts/adapter exports what adapter authors use', async () => {
    expect(await namesOf('protean-ts/adapter')).toMatchInlineSnapshot(`
      [
        "BrokerUnavailableError",
        "INLINE_BROKER_CAPABILITIES",
        "NoGroupError",
        "OUTBOX_STATUSES",
        "backoffSeconds",
        "compareEntryIds",
        "createConsoleLogger",
        "createInlineBroker",
        "createMemoryDatabase",
        "createMemoryEventStore",
        "createMemoryIdempotencyStore",
        "createMemoryOutbox",
        "createRetryPolicy",
        "levelFromEnvironment",
        "registerProvider",
        "registeredProviders",
        "setDefaultLogger",
      ]
    `);
  });

  it('protean-ts/postgres exports the PostgreSQL adapters', async () => {
    expect(await namesOf('protean-ts/postgres')).toMatchInlineSnapshot(`
      [
        "DatabaseError",
        "IDEMPOTENCY_TABLE",
        "OUTBOX_TABLE",
        "createPostgresDatabase",
        "createPostgresEventStore",
        "createPostgresIdempotencyStore",
        "createPostgresOutbox",
        "databaseIdentity",
        "isConnectionError",
        "redactUri",
      ]
    `);
  });

  it('protean-ts/redis exports the Redis brokers', async () => {
    expect(await namesOf('protean-ts/redis')).toMatchInlineSnapshot(`
      [
        "BrokerUnavailableError",
        "REDIS_BROKER_CAPABILITIES",
        "REDIS_PUBSUB_CAPABILITIES",
        "createRedisBroker",
        "createRedisPubSubBroker",
        "redactRedisUri",
        "redisBrokerSettings",
      ]
    `);
  });

  it('protean-ts/server exports what embedding the engine or an operator tool needs', async () => {
    expect(await namesOf('protean-ts/server')).toMatchInlineSnapshot(`
      [
        "DEFAULT_READINESS_TIMEOUT_MS",
        "Engine",
        "HealthServer",
        "LogDirectoryError",
        "NO_TRACE_CHANNEL",
        "OutboxProcessor",
        "TRACE_EVENTS",
        "Tracer",
        "checkReadiness",
        "countDeadLetters",
        "createInProcessTraceChannel",
        "createLogger",
        "deadLetterQueueOf",
        "engineSubscriptions",
        "inspectDeadLetter",
        "listDeadLetters",
        "openTraceChannel",
        "purgeDeadLetters",
        "replayDeadLetter",
        "replayDeadLetters",
        "subscriptionReports",
        "traceChannelName",
      ]
    `);
  });

  it('protean-ts/observatory exports the monitoring server and its metric definitions', async () => {
    expect(await namesOf('protean-ts/observatory')).toMatchInlineSnapshot(`
      [
        "DURATION_BUCKETS",
        "FILTER_FIELDS",
        "METRICS",
        "Observatory",
        "globToRegExp",
        "metricTable",
        "traceFilter",
      ]
    `);
  });

  it('protean-ts/testing exports the test helpers', async () => {
    expect(await namesOf('protean-ts/testing')).toMatchInlineSnapshot(`
      [
        "AggregateScenario",
        "DEFAULT_PROBE_TIMEOUT_MS",
        "DomainScenario",
        "FactoryScenario",
        "IntegrationServicesUnavailableError",
        "LOCAL_SERVICE_URLS",
        "Outcome",
        "SERVICES_KEY",
        "SERVICE_ENV_VARS",
        "brokerContract",
        "createTestDatabase",
        "createTestSchema",
        "databaseContract",
        "deleteRedisKeys",
        "describeIntegration",
        "dockerEndpoint",
        "eventStoreContract",
        "explainSkip",
        "freshDomain",
        "given",
        "idempotencyContract",
        "integrationServices",
        "maskUrl",
        "outboxContract",
        "outboxMessage",
        "probeDocker",
        "probePostgres",
        "probeRedis",
        "quoteIdentifier",
        "resolveIntegrationTier",
        "resolveServices",
        "testServices",
        "uniqueRedisPrefix",
      ]
    `);
  });

  it('protean-ts exports none of the adapter-author and engine names', async () => {
    const root = await namesOf('protean-ts');

    expect(root.filter((name) => ADAPTER_AND_ENGINE_NAMES.includes(name))).toEqual([]);
  });

  it('protean-ts/server exports none of the engine internals', async () => {
    const server = await namesOf('protean-ts/server');

    expect(server.filter((name) => ENGINE_INTERNALS.includes(name))).toEqual([]);
  });

  it('no entry point exports the test-only failpoints', async () => {
    const exported = await Promise.all(Object.keys(entries).map((e) => namesOf(e as Entry)));

    expect(exported.flat().filter((name) => /failpoint/i.test(name))).toEqual([]);
  });
});
