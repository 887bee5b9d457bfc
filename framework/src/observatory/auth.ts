/**
 * Who may use the observatory. Bound to loopback (the default) it is for the people on the
 * machine; anywhere else it should have `[observatory] token`, which every request must then
 * carry. Requests that change something (replaying a dead letter) also need that token when the
 * observatory listens beyond loopback, and must come from its own page, never another site.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/**
 * Whether `host` (an address or a host name) is this machine's loopback: `127.0.0.0/8`, `::1`,
 * `localhost` (`0.0.0.0`, every interface, is not).
 */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^::ffff:/, '');
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Whether an `Authorization` header carries `token`: `Bearer <token>`, or `Basic` with the token
 * as the password (the user name is ignored), which is what a browser sends after asking for it.
 * Compared in constant time.
 */
export function carriesToken(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
  let given: string;
  if (/^bearer$/i.test(scheme)) given = credentials;
  else if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  } else return false;
  return timingSafeEqual(digest(given), digest(token));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** How the observatory guards itself, from where it listens and whether it has a token. */
export interface AccessPolicy {
  /** `[observatory] token`, when set. */
  readonly token: string | undefined;
  /** Whether the observatory listens on loopback only. */
  readonly loopback: boolean;
}

/** Why a request is refused: its HTTP status and message; `undefined` lets it through. */
export type Refusal = { readonly status: 401 | 403; readonly message: string } | undefined;

/**
 * Checks a request against the policy: the token when there is one (401 without it); on a
 * loopback bind, a `Host` naming loopback (a page of another site that resolves its own name
 * to 127.0.0.1 must not read the API).
 */
export function checkRequest(request: IncomingMessage, policy: AccessPolicy): Refusal {
  if (policy.token !== undefined && !carriesToken(request.headers.authorization, policy.token)) {
    return { status: 401, message: 'missing or wrong token: send Authorization: Bearer <token>' };
  }
  if (policy.loopback && !isLoopback(hostName(request.headers.host ?? ''))) {
    return { status: 403, message: 'this observatory answers only to a loopback Host' };
  }
  return undefined;
}

/**
 * Checks a request that changes something: refused when the observatory listens beyond
 * loopback without a token (anyone could), when its body is not JSON (an HTML form of another
 * site can only post form data), or when its `Origin` is another site.
 */
export function checkAction(request: IncomingMessage, policy: AccessPolicy): Refusal {
  if (!policy.loopback && policy.token === undefined) {
    return {
      status: 403,
      message:
        'actions are refused: this observatory listens beyond loopback without a token; set ' +
        '[observatory] token in domain.toml to allow them',
    };
  }
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    return { status: 403, message: 'actions take a JSON body (Content-Type: application/json)' };
  }
  const origin = request.headers.origin;
  const originHost = origin && URL.canParse(origin) ? new URL(origin).host : undefined;
  if (origin !== undefined && originHost !== request.headers.host) {
    return { status: 403, message: `actions are refused from another origin (${origin})` };
  }
  return undefined;
}

/** The host name of a `Host` header: `127.0.0.1:9000` -> `127.0.0.1`, `[::1]:9000` -> `::1`. */
export function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}
