/**
 * ReplicaSets (of Deployments the simulator does not serve) for the application namespaces, sized 1-10
 * replicas (mostly 2-4), their pods spread one per schedulable node from a random start, and their
 * PodDisruptionBudgets. Names cycle through the namespaces, then their components, then a generation
 * suffix (api, api-2, ...). The last ReplicaSets ask for a GPU node none has, so their pods stay Pending.
 */
import { type KubeObject, rfc3339 } from '../kube-object.js';
import { type ContainerSpec, makeTemplate, ownerRef, type PodTemplate } from '../pod-factory.js';
import type { Random } from '../random.js';
import { APP_IMAGES, APP_NAMESPACES, FALLBACK_APP_IMAGE } from './app-catalog.js';
import { DAY, type GenerationContext } from './context.js';
import { maybeDisruptionBudget } from './disruption-budgets.js';
import type { NodeSlot } from './nodes.js';
import type { PodPlacer } from './pod-placer.js';

const REPLICA_COUNTS = [1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8, 10];
const ENVOY_SIDECAR: ContainerSpec = {
  name: 'envoy',
  image: 'docker.io/envoyproxy/envoy:v1.32.2',
  port: 9901,
  cpu: '50m',
  memory: '64Mi',
};

interface ReplicaSetPlan {
  namespace: string;
  component: string;
  deployment: string;
  hash: string;
  name: string;
  replicas: number;
  uid: string;
  /** True for the ReplicaSets whose pods no node can take. */
  pending: boolean;
}

export function generateReplicaSets(
  ctx: GenerationContext,
  placer: PodPlacer,
  schedulable: NodeSlot[],
  counts: { replicaSet: number; unschedulable: number },
): void {
  const total = counts.replicaSet + counts.unschedulable;
  let placed = 0;
  for (let index = 0; placed < total; index++) {
    const plan = planReplicaSet(ctx.random, index, total - placed, placed >= counts.replicaSet);
    const template = replicaSetTemplate(ctx.random, plan);
    const createdMs = ctx.epoch - ctx.random.range(1, 60) * DAY;
    ctx.emit('replicasets', replicaSetObject(ctx.random, plan, template, createdMs));
    placeReplicas(ctx.random, placer, schedulable, plan, template);
    if (!plan.pending && plan.replicas >= 2) {
      maybeDisruptionBudget(ctx, {
        deployment: plan.deployment,
        namespace: plan.namespace,
        replicas: plan.replicas,
        createdMs,
      });
    }
    placed += plan.replicas;
  }
}

/** The index-th ReplicaSet's name and size; never more replicas than pods are left to place. */
function planReplicaSet(random: Random, index: number, podsLeft: number, pending: boolean): ReplicaSetPlan {
  const appNamespaces = Object.keys(APP_NAMESPACES);
  const namespace = appNamespaces[index % appNamespaces.length]!;
  const components = APP_NAMESPACES[namespace]!;
  const component = components[Math.floor(index / appNamespaces.length) % components.length]!;
  const generation = Math.floor(index / (appNamespaces.length * components.length));
  const deployment = generation === 0 ? component : `${component}-${generation + 1}`;
  const hash = random.nameSuffix(10);
  const replicas = Math.max(1, Math.min(podsLeft, random.pick(REPLICA_COUNTS)));
  const uid = random.uuid();
  return { namespace, component, deployment, hash, name: `${deployment}-${hash}`, replicas, uid, pending };
}

/** One app container (a fifth with CPU limits), a quarter with emptyDir, a fifth with an envoy sidecar. */
function replicaSetTemplate(random: Random, plan: ReplicaSetPlan): PodTemplate {
  const app: ContainerSpec = {
    name: plan.component,
    image: APP_IMAGES[plan.namespace] ?? FALLBACK_APP_IMAGE,
    port: 8080,
    cpu: random.pick(['50m', '100m', '250m', '500m']),
    memory: random.pick(['64Mi', '128Mi', '256Mi', '512Mi']),
    limits: random.chance(0.2),
  };
  const emptyDir = random.chance(0.25);
  return makeTemplate({
    labels: replicaSetLabels(plan),
    containers: [app, ...(random.chance(0.2) ? [{ ...ENVOY_SIDECAR }] : [])],
    emptyDir,
    ...(plan.pending ? { nodeSelector: { 'example.com/gpu': 'a100' } } : {}),
  });
}

function replicaSetLabels(plan: ReplicaSetPlan): Record<string, string> {
  return {
    app: plan.deployment,
    'app.kubernetes.io/part-of': plan.namespace,
    'pod-template-hash': plan.hash,
  };
}

/** A settled ReplicaSet: all replicas ready, unless none can be scheduled. */
function replicaSetObject(
  random: Random,
  plan: ReplicaSetPlan,
  template: PodTemplate,
  createdMs: number,
): KubeObject {
  const { replicas } = plan;
  return {
    metadata: {
      name: plan.name,
      namespace: plan.namespace,
      uid: plan.uid,
      generation: 1,
      creationTimestamp: rfc3339(createdMs),
      labels: template.metadata.labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + 1),
        'deployment.kubernetes.io/revision': String(random.range(1, 12)),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: plan.deployment,
          uid: random.uuid(),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: plan.deployment, 'pod-template-hash': plan.hash } },
      template: { metadata: { labels: template.metadata.labels }, spec: template.spec },
    },
    status: {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: plan.pending ? 0 : replicas,
      availableReplicas: plan.pending ? 0 : replicas,
      observedGeneration: 1,
    },
  };
}

/** Consecutive nodes from a random start, so a ReplicaSet's pods land on distinct nodes where it can. */
function placeReplicas(
  random: Random,
  placer: PodPlacer,
  schedulable: NodeSlot[],
  plan: ReplicaSetPlan,
  template: PodTemplate,
): void {
  const start = random.int(schedulable.length);
  for (let r = 0; r < plan.replicas; r++) {
    const node = schedulable[(start + r) % schedulable.length];
    placer.place(
      template,
      `${plan.name}-${random.nameSuffix()}`,
      plan.namespace,
      plan.pending ? undefined : node,
      plan.pending ? 'Unschedulable' : 'Running',
      { owner: ownerRef('ReplicaSet', plan.name, plan.uid), generateName: `${plan.name}-` },
    );
  }
}
