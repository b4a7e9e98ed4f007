import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import type { AuditRecord } from '../auth/audit-trail.js';
import { describeDenial, type ResourceAttributes } from '../auth/authorizer.js';
import { nodeRequestOf } from '../server/caller-bucket.js';
import type { GatewayContext } from '../server/context.js';
import { gatewayError, kubeErrorToGraphQL } from './graphql-errors.js';

/** What a GraphQL field needs in one cluster, and where the check came from (for the audit trail). */
export interface AccessCheck {
  readonly cluster: string;
  readonly needs: ResourceAttributes;
  readonly info?: GraphQLResolveInfo;
  /** The node the field is about, and a mutation's options, for the audit trail. */
  readonly node?: string;
  readonly options?: unknown;
  /** A question, not a request (Query.viewer): a "no" is neither counted nor audited as a denial. */
  readonly quiet?: boolean;
}

/**
 * Whether the caller may do what a field needs, as the cluster decides. Undefined (no promise,
 * the hot path stays synchronous) for the anonymous caller of `--auth none`, who is never
 * checked. Resolves true/false; a denial is counted and audited; rejects with a GraphQL error
 * when the cluster could not be asked.
 */
export function mayAccess(ctx: GatewayContext, check: AccessCheck): Promise<boolean> | undefined {
  const { authorizer } = ctx.services;
  if (ctx.caller.anonymous || !authorizer) return undefined;
  // One answer per question per operation: 500 nodes' podCount ask once.
  const key = `authz:${check.quiet ? 'quiet:' : ''}${check.cluster}:${JSON.stringify(check.needs)}`;
  return ctx.scope.memo(key, () =>
    authorizer.allowed(ctx.caller, check.cluster, check.needs).then(
      (decision) => {
        if (!decision.allowed && !check.quiet) denied(ctx, check);
        return decision.allowed;
      },
      (err: unknown) => {
        throw kubeErrorToGraphQL(err, `checking access in cluster ${check.cluster}`);
      },
    ),
  );
}

/** FORBIDDEN naming the verb and resource, e.g. `cannot list nodes in cluster "sim"`. */
export function forbidden(check: Pick<AccessCheck, 'cluster' | 'needs'>): GraphQLError {
  const { verb, resource, subresource } = check.needs;
  return gatewayError('FORBIDDEN', describeDenial(check.cluster, check.needs), {
    cluster: check.cluster,
    verb,
    resource: subresource ? `${resource}/${subresource}` : resource,
  });
}

/** Undefined when there is nothing to check, else a promise rejecting with FORBIDDEN on a denial. */
export function requireAccess(ctx: GatewayContext, check: AccessCheck): Promise<void> | undefined {
  const allowed = mayAccess(ctx, check);
  return allowed?.then((ok) => {
    if (!ok) throw forbidden(check);
  });
}

/**
 * Every check in order; the first denial rejects. One after the other, so a refused request
 * is one denial in the audit trail (the decisions are cached, so this costs little).
 */
export async function requireAll(ctx: GatewayContext, checks: readonly AccessCheck[]): Promise<void> {
  for (const check of checks) {
    const allowed = mayAccess(ctx, check);
    if (allowed && !(await allowed)) throw forbidden(check);
  }
}

/** Then `next`, after the check if there is one (synchronously when there is none). */
export function afterAccess<T>(
  ctx: GatewayContext,
  check: AccessCheck,
  next: () => T | Promise<T>,
): T | Promise<T> {
  const pending = requireAccess(ctx, check);
  return pending ? pending.then(next) : next();
}

function denied(ctx: GatewayContext, check: AccessCheck): void {
  ctx.services.authzMetrics?.denied(check.needs);
  const { verb, resource, subresource } = check.needs;
  audit(ctx, {
    info: check.info,
    cluster: check.cluster,
    node: check.node,
    options: check.options,
    outcome: 'FORBIDDEN',
    denied: `${verb} ${subresource ? `${resource}/${subresource}` : resource}`,
  });
}

/** What a resolver says of an audited event; who, from where and which field come from the context. */
export type AuditFields = Omit<AuditRecord, 'user' | 'groups' | 'source' | 'operation' | 'field'> & {
  readonly info?: GraphQLResolveInfo;
};

/**
 * Writes one audit record for this operation. The anonymous caller of `--auth none` is audited
 * only into an explicit --audit-log file, so a gateway without authentication prints nothing new.
 */
export function audit(ctx: GatewayContext, fields: AuditFields): void {
  const trail = ctx.services.audit;
  if (!trail || (ctx.caller.anonymous && !ctx.services.config?.auditLogPath)) return;
  const { info, ...rest } = fields;
  const record: AuditRecord = {
    user: ctx.caller.username,
    groups: ctx.caller.groups,
    source: sourceAddress(ctx),
    operation: info?.operation.name?.value,
    field: info ? `${info.parentType.name}.${info.fieldName}` : 'unknown',
    ...rest,
  };
  trail.record(record);
}

/** The client's address, from the Node request of the context (HTTP, SSE, graphql-ws upgrade). */
function sourceAddress(ctx: GatewayContext): string | undefined {
  return nodeRequestOf(ctx)?.socket?.remoteAddress ?? undefined;
}

/** Runs a mutation and audits its outcome: OK (with the job id, if any) or the error code. */
export async function audited<T>(
  ctx: GatewayContext,
  fields: Omit<AuditFields, 'outcome' | 'jobId'>,
  body: () => Promise<T>,
  jobIdOf?: (result: T) => string | undefined,
): Promise<T> {
  try {
    const result = await body();
    audit(ctx, { ...fields, outcome: 'OK', jobId: jobIdOf?.(result) });
    return result;
  } catch (err) {
    const extensions = (err as { extensions?: { code?: unknown; verb?: unknown } }).extensions;
    // The gateway's own denial (it names a verb) was audited where it was decided; a refusal
    // by the cluster's API (the impersonated call) is recorded here.
    if (extensions?.code !== 'FORBIDDEN' || extensions.verb === undefined) {
      const code = extensions?.code;
      audit(ctx, { ...fields, outcome: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
    }
    throw err;
  }
}
