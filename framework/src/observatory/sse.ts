/**
 * `GET /stream`: trace events as Server-Sent Events, each client with its own filter. A comment
 * line every 15 s keeps proxies from closing an idle stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceEvent } from '../ports/trace.js';
import type { TraceFilter } from './filters.js';

const HEARTBEAT_MS = 15_000;

interface Client {
  readonly response: ServerResponse;
  readonly accept: TraceFilter;
}

/** The clients of `GET /stream`. */
export class SseHub {
  readonly #clients = new Set<Client>();
  readonly #heartbeat: NodeJS.Timeout;
  #nextId = 1;

  constructor() {
    this.#heartbeat = setInterval(() => this.#write(': ping\n\n'), HEARTBEAT_MS).unref();
  }

  /** How many clients listen now. */
  get size(): number {
    return this.#clients.size;
  }

  /** Makes `response` an event stream of the events `accept` takes, until the client leaves. */
  open(request: IncomingMessage, response: ServerResponse, accept: TraceFilter): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n: connected\n\n');
    const client = { response, accept };
    this.#clients.add(client);
    request.on('close', () => this.#clients.delete(client));
  }

  /** Sends `event` to every client whose filter takes it. */
  publish(event: TraceEvent): void {
    if (this.#clients.size === 0) return;
    const frame = `id: ${this.#nextId++}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const client of this.#clients) if (client.accept(event)) client.response.write(frame);
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.response.end();
    this.#clients.clear();
  }

  #write(text: string): void {
    for (const client of this.#clients) client.response.write(text);
  }
}
