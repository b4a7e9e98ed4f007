/**
 * The HTTP(S) front end: authentication, impersonation and authorization (src/sim/auth), fault injection,
 * routing to discovery, review or resource handlers, Status error bodies and one audit entry per request.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ApiContext,
  type HandlerResult,
  handleCreate,
  handleDelete,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  handleWatch,
  tableRequested,
} from './api-handlers.js';
import type { AuditEntry, AuditLog, AuditUser } from './audit.js';
import { ImpersonationHeaderError } from './auth/impersonation.js';
import { handleReview, reviewKindOf } from './auth/reviews.js';
import { effectiveUser, type RequestIdentity, type SimAuth } from './auth/sim-auth.js';
import { ANONYMOUS, type UserInfo } from './auth/user-info.js';
import { apiGroupDocument, apiGroupList, apiVersions, resourceList, SERVER_VERSION } from './discovery.js';
import type { Faults } from './faults.js';
import { METRICS_GROUP, METRICS_VERSION, type MetricsApi } from './metrics-api.js';
import { openApiV3Document, openApiV3Index } from './openapi.js';
import { type RequestInfo, resolveRequest } from './request-info.js';
import { ApiError, errors, statusForCode } from './status.js';

export interface SimServerOptions {
  ctx: ApiContext;
  auth: SimAuth;
  faults: Faults;
  audit: AuditLog;
  tls: { key: string; cert: string } | undefined;
  maxBodyBytes?: number;
  /** metrics.k8s.io (as metrics-server's APIService); undefined = not served (404, absent from /apis). */
  metrics?: MetricsApi;
}

const auditUser = (u: UserInfo): AuditUser => ({
  username: u.username,
  groups: [...u.groups],
  ...(u.extra && Object.keys(u.extra).length
    ? { extra: Object.fromEntries(Object.entries(u.extra).map(([k, v]) => [k, [...v]])) }
    : {}),
});

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(errors.requestEntityTooLarge('Request entity too large: limit is 3145728'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class SimServer {
  private readonly server: Server;
  private port = 0;
  private host = '127.0.0.1';
  private refuseTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: SimServerOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => {
        console.error('sim: request failed', err);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    };
    this.server = opts.tls
      ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
      : createHttpServer(handler);
    // Long-lived keep-alive like the apiserver, so clients reuse connections across requests.
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.requestTimeout = 0;
  }

  listen(host: string, port: number): Promise<number> {
    this.host = host;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  /** Closes the listener and every connection for `ms`, then listens on the same port again. */
  refuseConnections(ms: number): void {
    if (this.stopped) return;
    if (this.refuseTimer) clearTimeout(this.refuseTimer);
    if (this.server.listening) {
      this.server.close();
      this.server.closeAllConnections();
    }
    this.refuseTimer = setTimeout(() => {
      this.refuseTimer = undefined;
      if (this.stopped || this.server.listening) return;
      this.server.listen(this.port, this.host);
    }, ms);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.refuseTimer) clearTimeout(this.refuseTimer);
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const info = resolveRequest(method, url);
    const accept = req.headers.accept;
    const table =
      info.isResource && (info.verb === 'get' || info.verb === 'list' || info.verb === 'watch')
        ? tableRequested(accept, info.query)
        : undefined;
    const authenticated = this.opts.auth.authenticate(req.headers.authorization);
    let identity: RequestIdentity = {
      user: authenticated ?? { username: ANONYMOUS, groups: ['system:unauthenticated'] },
    };
    const user = identity.user.username;
    const auditId = randomUUID();
    res.setHeader('Audit-Id', auditId);
    res.setHeader('Cache-Control', 'no-cache, private');

    const audit = (code: number): void => {
      const q = info.query;
      const limit = q.get('limit');
      const entry: AuditEntry = {
        time: new Date().toISOString(),
        user,
        userInfo: auditUser(identity.user),
        ...(identity.impersonatedUser ? { impersonatedUser: auditUser(identity.impersonatedUser) } : {}),
        verb: info.verb,
        resource: info.isResource ? info.resource : '',
        ...(info.isResource && info.subresource ? { subresource: info.subresource } : {}),
        ...(info.isResource && info.namespace ? { namespace: info.namespace } : {}),
        ...(info.isResource && info.name ? { name: info.name } : {}),
        ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
        ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
        ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
        continue: Boolean(q.get('continue')),
        table: table !== undefined,
        code,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
        requestURI: url,
        ...(q.get('resourceVersion') !== null ? { resourceVersion: q.get('resourceVersion')! } : {}),
      };
      this.opts.audit.record(entry);
    };

    const sendError = (err: ApiError): void => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      const retry = err.status.details?.retryAfterSeconds;
      if (retry) headers['Retry-After'] = String(retry);
      if (!res.headersSent) res.writeHead(err.code, headers);
      res.end(JSON.stringify(err.status));
      audit(err.code);
    };

    const isProbe = !info.isResource && /^\/(healthz|livez|readyz)(\/|$)/.test(info.path);
    if (!authenticated && !isProbe) {
      req.resume();
      sendError(errors.unauthorized());
      return;
    }
    if (authenticated) {
      try {
        identity = this.opts.auth.impersonate(authenticated, req.headersDistinct);
        this.opts.auth.authorize(info, identity);
      } catch (err) {
        req.resume();
        if (err instanceof ApiError) sendError(err);
        else if (err instanceof ImpersonationHeaderError) {
          // responsewriters.InternalError: plain text, not a Status.
          const text = `Internal Server Error: ${JSON.stringify(url)}: ${err.message}`
            .replaceAll('&', '&amp;')
            .replaceAll('<', '&lt;')
            .replaceAll('>', '&gt;');
          res.writeHead(500, {
            'Content-Type': 'text/plain; charset=utf-8',
            'X-Content-Type-Options': 'nosniff',
          });
          res.end(`${text}\n`);
          audit(500);
        } else throw err;
        return;
      }
    }

    const resourceName = info.isResource ? info.resource : '';
    const injected = this.opts.faults.takeFailure(resourceName, info.verb);
    if (injected === 0) {
      // Hang: never answer; the client times out (or the connection closes on stop/refuse).
      req.resume();
      res.on('close', () => audit(0));
      return;
    }
    const delay = this.opts.faults.latencyFor(resourceName, info.verb);
    if (delay > 0) await sleep(delay);
    if (injected !== undefined) {
      req.resume();
      const type = info.isResource
        ? (info.type ?? { resource: info.resource, group: info.group })
        : { resource: '', group: '' };
      sendError(statusForCode(injected, type, effectiveUser(identity).username, info.verb));
      return;
    }

    let result: HandlerResult;
    try {
      const body =
        method === 'GET' || method === 'HEAD'
          ? Buffer.alloc(0)
          : await readBody(req, this.opts.maxBodyBytes ?? 3 * 1024 * 1024);
      result = this.route(info, req, res, body, table, effectiveUser(identity));
    } catch (err) {
      if (err instanceof ApiError) {
        sendError(err);
        return;
      }
      console.error('sim: handler failed', err);
      sendError(errors.internal(err instanceof Error ? err.message : String(err)));
      return;
    }
    if (result.kind === 'stream') {
      audit(200);
      return;
    }
    res.writeHead(result.code, { 'Content-Type': result.contentType, ...result.headers });
    if (method === 'HEAD') res.end();
    else if (typeof result.body === 'string') res.end(result.body);
    else {
      for (const chunk of result.body) res.write(chunk);
      res.end();
    }
    audit(result.code);
  }

  private route(
    info: RequestInfo,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    table: ReturnType<typeof tableRequested>,
    user: UserInfo,
  ): HandlerResult {
    const ok = (doc: unknown): HandlerResult => ({
      kind: 'body',
      code: 200,
      body: JSON.stringify(doc),
      contentType: 'application/json',
    });
    if (!info.isResource) {
      if (info.verb !== 'get') throw errors.methodNotAllowed();
      const p = info.path.replace(/\/+$/, '') || '/';
      if (p === '/version') return ok(SERVER_VERSION);
      if (p === '/healthz' || p === '/livez' || p === '/readyz')
        return { kind: 'body', code: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
      if (p === '/api') return ok(apiVersions(`${this.host}:${this.port}`));
      const tokens = this.opts.ctx.tokens;
      if (tokens && p === '/.well-known/openid-configuration') {
        // Service account issuer discovery (kube-apiserver's OIDC discovery document for its issuer).
        const scheme = this.opts.tls ? 'https' : 'http';
        return ok({
          issuer: tokens.issuer,
          jwks_uri: `${scheme}://${this.host}:${this.port}/openid/v1/jwks`,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['ES256'],
        });
      }
      if (tokens && p === '/openid/v1/jwks')
        return {
          kind: 'body',
          code: 200,
          body: JSON.stringify(tokens.jwks()),
          contentType: 'application/jwk-set+json',
        };
      const metrics = this.opts.metrics;
      if (p === '/apis') {
        const list = apiGroupList() as { groups: unknown[] };
        return ok(metrics ? { ...list, groups: [...list.groups, metrics.apiGroup()] } : list);
      }
      if (metrics && p === `/apis/${METRICS_GROUP}`)
        return ok({ kind: 'APIGroup', apiVersion: 'v1', ...metrics.apiGroup() });
      if (metrics && p === `/apis/${METRICS_GROUP}/${METRICS_VERSION}`) return ok(metrics.resourceList());
      if (p === '/openapi/v3')
        return { kind: 'body', code: 200, body: openApiV3Index(), contentType: 'application/json' };
      if (p.startsWith('/openapi/v3/')) {
        const doc = openApiV3Document(p.slice('/openapi/v3/'.length));
        if (doc) return { kind: 'body', code: 200, body: doc, contentType: 'application/json' };
      }
      const parts = p.split('/').filter(Boolean);
      if (parts[0] === 'api' && parts.length === 2) {
        const doc = resourceList('', parts[1]!);
        if (doc) return ok(doc);
      }
      if (parts[0] === 'apis' && parts.length === 2) {
        const doc = apiGroupDocument(parts[1]!);
        if (doc) return ok(doc);
      }
      if (parts[0] === 'apis' && parts.length === 3) {
        const doc = resourceList(parts[1]!, parts[2]!);
        if (doc) return ok(doc);
      }
      throw errors.notFoundPath();
    }
    if (info.group === METRICS_GROUP && this.opts.metrics)
      return {
        kind: 'body',
        code: 200,
        body: this.opts.metrics.handle(info),
        contentType: 'application/json',
      };
    const review = reviewKindOf(info);
    if (review) return handleReview(this.opts.auth, info, review, user, body, req.headers['content-type']);
    const ctx = this.opts.ctx;
    switch (info.verb) {
      case 'get':
        return handleGet(ctx, info, table);
      case 'list':
        return handleList(ctx, info, table);
      case 'watch':
        return handleWatch(ctx, info, table, res);
      case 'create':
        return handleCreate(ctx, info, body, req.headers['content-type']);
      case 'update':
        return handleUpdate(ctx, info, body, req.headers['content-type']);
      case 'patch':
        return handlePatch(ctx, info, body, req.headers['content-type'] ?? '');
      case 'delete':
      case 'deletecollection':
        return handleDelete(ctx, info, body, req.headers['content-type']);
      default:
        throw errors.methodNotAllowed();
    }
  }
}
