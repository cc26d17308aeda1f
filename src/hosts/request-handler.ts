/**
 * An AWS SDK v3 request handler that answers from a Tidepool database in the same process (or, in
 * the browser host, the same worker) instead of the network. Requests go through the same wire
 * protocol as the HTTP server, so responses are byte for byte what the server would send.
 *
 * The types below are the structural subset of @smithy/types' HttpHandler the SDK calls; the SDK
 * is not a dependency of Tidepool.
 */
import type { WireResponse, WireRequest } from './protocol.js';

/** The parts of the SDK's HttpRequest the handler reads. */
export interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Pass as `requestHandler` in any AWS SDK v3 client config. */
export interface TidepoolRequestHandler {
  handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted: boolean } }): Promise<{ response: SdkHttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

const encoder = new TextEncoder();

function bodyBytes(body: unknown): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('Tidepool request handler: request bodies must be strings or bytes');
}

/** The SDK's request as the wire protocol takes it. */
export function toWireRequest(request: SdkHttpRequest): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: request.method, path: request.path, query: flatQuery(request.query), headers, body: bodyBytes(request.body) };
}

function flatQuery(query: SdkHttpRequest['query']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null) flat[name] = Array.isArray(value) ? value[0] : value;
  }
  return flat;
}

/**
 * Wraps a wire-protocol function whose responses are encoded as an SDK request handler. `answer`
 * also sees the SDK's own request: a body that was a string is bytes the handler made, which
 * nobody else holds.
 */
export function createRequestHandler(answer: (request: WireRequest, sdkRequest: SdkHttpRequest) => WireResponse | Promise<WireResponse>): TidepoolRequestHandler {
  return {
    async handle(request, options) {
      if (options?.abortSignal?.aborted) {
        const error = new Error('Request aborted');
        error.name = 'AbortError';
        throw error;
      }
      const response = await answer(toWireRequest(request), request);
      return { response: { statusCode: response.status, headers: response.headers, body: response.body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
