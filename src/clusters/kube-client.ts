import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Span, Tracer } from '@opentelemetry/api';
import type { GatewayMetrics } from '../platform/metrics.js';
import { type Impersonation, impersonationHeaders } from './impersonation.js';
import { rotatingTokenPathOf } from './in-cluster-config.js';
import { KubeApiError, type KubeStatus } from './kube-api-error.js';
import { recordKubeCallFailure, recordKubeCallStatus, startKubeCallSpan } from './kube-call-span.js';
import { labelsOfRequest } from './kube-request-labels.js';
import { ServiceAccountTokenFile } from './service-account-token.js';

export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path, e.g. `/api/v1/pods`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Content-Type of the body; PATCH callers must say which patch type they send. */
  contentType?: string;
  /** Defaults to application/json. Pass the Table media type to ask for server-side tables. */
  accept?: string;
  /**
   * Deadline for the whole call (for `stream`: until response headers arrive).
   * Defaults to the client's API timeout; every call has one.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Act as this person (Impersonate-* headers): the cluster's RBAC decides, its audit log names them. */
  impersonate?: Impersonation;
}

/** What a caller that streams the body (watch, row-at-a-time list parsing) gets back. */
export interface KubeStreamResponse {
  statusCode: number;
  body: IncomingMessage;
  /** Ends the underlying request; idempotent. */
  close(): void;
}

/**
 * The narrow view of one cluster's API that the informer, pod and drain modules use.
 * Each consumer should declare the even narrower subset it needs (e.g. `Pick<KubeClient,'json'>`).
 */
export interface KubeClient {
  readonly cluster: string;
  readonly server: string;
  /** The deadline a request gets when it names none. */
  readonly apiTimeoutMs: number;
  /** Sends a request and parses the JSON answer. Non-2xx answers reject with KubeApiError. */
  json<T>(req: KubeRequest): Promise<T>;
  /** Sends a request and hands back the response body as a stream once a 2xx status arrives. */
  stream(req: KubeRequest): Promise<KubeStreamResponse>;
  /** Frees pooled sockets. */
  close(): void;
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

interface KubeHttpClientOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  apiTimeoutMs: number;
  metrics?: GatewayMetrics;
  userAgent?: string;
  /** One span per call when tracing is on; undefined = no tracing work at all. */
  tracer?: Tracer;
}

/**
 * KubeClient over node:http(s). Authentication and TLS come from client-node's KubeConfig
 * (tokens, client certs, exec plugins); the transport is ours because client-node's typed
 * APIs can neither ask for server-side Tables nor hand back a body to parse incrementally.
 */
export class KubeHttpClient implements KubeClient {
  readonly cluster: string;
  readonly server: string;
  private readonly kubeConfig: KubeConfig;
  readonly apiTimeoutMs: number;
  private readonly metrics?: GatewayMetrics;
  private readonly userAgent: string;
  private readonly tracer?: Tracer;
  private readonly baseUrl: URL;
  /** In-cluster mode: the rotating service account token, read per request. */
  private readonly tokenFile?: ServiceAccountTokenFile;
  private agent?: http.Agent;

  constructor(options: KubeHttpClientOptions) {
    this.cluster = options.cluster;
    this.kubeConfig = options.kubeConfig;
    this.apiTimeoutMs = options.apiTimeoutMs;
    this.metrics = options.metrics;
    this.userAgent = options.userAgent ?? 'kube-node-gateway';
    this.tracer = options.tracer;
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error(`kubeconfig context for cluster ${options.cluster} has no server`);
    this.server = server;
    this.baseUrl = new URL(server);
    const tokenPath = rotatingTokenPathOf(this.kubeConfig.getCurrentUser());
    if (tokenPath) this.tokenFile = new ServiceAccountTokenFile(tokenPath);
  }

  async json<T>(req: KubeRequest): Promise<T> {
    const deadline = Date.now() + (req.timeoutMs ?? this.apiTimeoutMs);
    const res = await this.stream(req);
    try {
      // One deadline for the whole call: headers and body share it.
      const text = await readBody(res.body, Math.max(1, deadline - Date.now()));
      return (text.length === 0 ? {} : JSON.parse(text)) as T;
    } catch (err) {
      res.close();
      throw err instanceof KubeApiError
        ? err
        : new KubeApiError('UNAVAILABLE', `reading ${req.path} from ${this.cluster}: ${String(err)}`, 0);
    }
  }

  async stream(req: KubeRequest): Promise<KubeStreamResponse> {
    const method = req.method ?? 'GET';
    const watch = req.query?.watch === true || req.query?.watch === 'true' || req.query?.watch === 1;
    const labels = { cluster: this.cluster, ...labelsOfRequest(method, req.path, watch) };
    const stopTimer = this.metrics?.kubeApiDuration.startTimer(labels);
    // Every call of every module passes here (json() too), so this is the one span hook.
    const span = this.tracer
      ? startKubeCallSpan(this.tracer, {
          cluster: this.cluster,
          baseUrl: this.baseUrl,
          method,
          path: req.path,
          labels,
          impersonated: req.impersonate !== undefined,
        })
      : undefined;
    try {
      const res = await this.send(method, req);
      stopTimer?.();
      this.metrics?.kubeApiCalls.inc({ ...labels, code: String(res.statusCode) });
      if (span) endWithBody(span, res, watch);
      return res;
    } catch (err) {
      stopTimer?.();
      if (span) {
        recordKubeCallFailure(span, err);
        span.end();
      }
      const code = err instanceof KubeApiError ? err.statusCode : 0;
      this.metrics?.kubeApiCalls.inc({ ...labels, code: String(code) });
      if (err instanceof KubeApiError && err.kind === 'TIMEOUT' && code === 0) {
        this.metrics?.kubeApiTimeouts.inc(labels);
      }
      throw err;
    }
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async send(method: string, req: KubeRequest): Promise<KubeStreamResponse> {
    const timeoutMs = req.timeoutMs ?? this.apiTimeoutMs;
    const options: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    const token = await this.currentToken(method, req.path);
    const url = new URL(req.path, this.baseUrl);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders | undefined),
      accept: req.accept ?? 'application/json',
      'user-agent': this.userAgent,
      ...(token && { authorization: `Bearer ${token}` }),
      ...(req.impersonate && impersonationHeaders(req.impersonate)),
    };
    if (body) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = body.length;
    }
    const isHttps = url.protocol === 'https:';
    const agent = this.agentFor(isHttps, options);
    const what = `${method} ${url.pathname} on cluster ${this.cluster}`;

    return new Promise<KubeStreamResponse>((resolve, reject) => {
      const request = (isHttps ? https : http).request(url, { method, headers, agent, auth: options.auth });
      // First, before anything can destroy the request: a request destroyed before it has a
      // socket (an already-aborted signal, a page read ahead and abandoned) emits 'error' on
      // the next tick, and an 'error' nobody listens to ends the process.
      request.on('error', (err) =>
        fail(new KubeApiError('UNAVAILABLE', `${what} failed: ${err.message}`, 0, undefined, { cause: err })),
      );
      let settled = false;
      const fail = (err: KubeApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        request.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new KubeApiError('TIMEOUT', `${what} timed out after ${timeoutMs} ms`, 0)),
        timeoutMs,
      );
      const onAbort = () => fail(new KubeApiError('UNAVAILABLE', `${what} was aborted`, 0));
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('response', (res) => {
        if (settled) return void res.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          settled = true;
          clearTimeout(timer);
          // Callers pass long-lived signals (an informer's): every listener added here must be
          // removed when this response ends, or each request stays reachable from the signal.
          req.signal?.removeEventListener('abort', onAbort);
          const close = () => request.destroy();
          req.signal?.addEventListener('abort', close, { once: true });
          res.once('close', () => req.signal?.removeEventListener('abort', close));
          resolve({ statusCode: status, body: res, close });
          return;
        }
        readBody(res, timeoutMs).then(
          (text) => fail(KubeApiError.fromResponse(status, parseStatus(text), what)),
          () => fail(KubeApiError.fromResponse(status, undefined, what)),
        );
      });
      request.end(body);
    });
  }

  private async currentToken(method: string, path: string): Promise<string | undefined> {
    if (!this.tokenFile) return undefined;
    try {
      return await this.tokenFile.read();
    } catch (err) {
      throw new KubeApiError(
        'UNAVAILABLE',
        `${method} ${path} on cluster ${this.cluster}: cannot read the service account token ${this.tokenFile.path}: ${String(err)}`,
        0,
        undefined,
        { cause: err },
      );
    }
  }

  private agentFor(isHttps: boolean, tls: https.RequestOptions): http.Agent {
    if (this.agent) return this.agent;
    const common = { keepAlive: true, maxSockets: 64 };
    this.agent = isHttps
      ? new https.Agent({
          ...common,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: tls.rejectUnauthorized,
          servername: tls.servername,
        })
      : new http.Agent(common);
    return this.agent;
  }
}

/**
 * A watch's span is its start (until the response headers): a watch lasts minutes and its
 * events are not calls. Any other call's span lasts until its body has been read or dropped.
 */
function endWithBody(span: Span, res: KubeStreamResponse, watch: boolean): void {
  recordKubeCallStatus(span, res.statusCode);
  if (watch) {
    span.end();
    return;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.end();
  };
  res.body.once('end', end);
  res.body.once('close', end);
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a whole body, failing if it takes longer than `timeoutMs`. */
export function readBody(res: IncomingMessage, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      res.destroy();
      reject(new KubeApiError('TIMEOUT', `reading response body timed out after ${timeoutMs} ms`, 0));
    }, timeoutMs);
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
