import type { ResourceAttributes } from '../auth/authorizer.js';
import type { GatewayContext } from '../server/context.js';
import { mayAccess } from './authorize.js';
import { drainNeeds } from './drain.js';

export interface Viewer {
  readonly username: string;
  readonly groups: readonly string[];
  readonly anonymous: boolean;
}

export interface ViewerClusterAccess {
  readonly cluster: string;
  readonly canListNodes: boolean;
  readonly canListPods: boolean;
  readonly canCordon: boolean;
  readonly canDrain: boolean;
}

/** Query.viewer: who the gateway thinks the caller is. */
export function viewerOf(ctx: GatewayContext): Viewer {
  const { username, groups, anonymous } = ctx.caller;
  return { username, groups, anonymous };
}

/**
 * What the caller may do in each served cluster, so a UI can hide what would be refused. All
 * questions of all clusters are asked at once (each a cached SubjectAccessReview); under
 * `--auth none` everything is allowed. A cluster that cannot be asked answers false.
 */
export function viewerClusters(ctx: GatewayContext): Promise<ViewerClusterAccess[]> {
  return Promise.all(
    ctx.services.clusters.list().map(async ({ name: cluster }) => {
      const may = (needs: ResourceAttributes) =>
        Promise.resolve(mayAccess(ctx, { cluster, needs, quiet: true }) ?? true).catch(() => false);
      const [canListNodes, canListPods, canCordon, ...drain] = await Promise.all([
        may({ verb: 'list', resource: 'nodes' }),
        may({ verb: 'list', resource: 'pods' }),
        may({ verb: 'patch', resource: 'nodes' }),
        ...drainNeeds({ disableEviction: false }).map(may),
      ]);
      return { cluster, canListNodes, canListPods, canCordon, canDrain: drain.every(Boolean) };
    }),
  );
}
