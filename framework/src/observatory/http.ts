/** The HTTP side of the observatory's answers: JSON, the page, refusals, errors, bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import type { Refusal } from './auth.js';
import { dashboardPage } from './dashboard.js';

/** The request's JSON body (at most 64 KiB); `{}` for none. */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > 64 * 1024) throw new IncorrectUsageError('the request body is too large');
  }
  try {
    return JSON.parse(body || '{}');
  } catch {
    throw new IncorrectUsageError('the request body is not JSON');
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
  response.end(body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

/** The dashboard, under a Content-Security-Policy that lets only its own inline script run. */
export function sendDashboard(response: ServerResponse): void {
  const { html, nonce } = dashboardPage();
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'x-frame-options': 'DENY',
    'content-security-policy':
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; ` +
      "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; " +
      "frame-ancestors 'none'",
  });
  response.end(html);
}

export function refuse(response: ServerResponse, refusal: NonNullable<Refusal>): void {
  if (refusal.status === 401) {
    // Basic lets a browser ask for the token (as the password) and send it on every request.
    response.setHeader('www-authenticate', [
      'Basic realm="protean observatory", charset="UTF-8"',
      'Bearer realm="protean observatory"',
    ]);
  }
  sendJson(response, refusal.status, { error: refusal.message });
}

/** An error as JSON: 404 for NotFoundError, 400 for IncorrectUsageError, 500 otherwise. */
export function sendError(response: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const status =
    error instanceof NotFoundError ? 404 : error instanceof IncorrectUsageError ? 400 : 500;
  if (response.headersSent) response.end();
  else sendJson(response, status, { error: message });
}
