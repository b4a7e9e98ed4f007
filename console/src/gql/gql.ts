/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ConsoleNodeRow on KubeNode {\n    id\n    cluster\n    name\n    status\n    ready\n    schedulable\n    roles\n    resourceVersion\n    taints {\n      key\n      value\n      effect\n    }\n    createdAt\n  }\n": typeof types.ConsoleNodeRowFragmentDoc,
    "\n  query ConsoleSession {\n    viewer {\n      username\n      groups\n      clusters {\n        cluster\n        canListNodes\n        canListPods\n        canCordon\n        canDrain\n      }\n    }\n    clusters {\n      name\n      isDefault\n      status\n      nodeCount\n      error\n    }\n  }\n": typeof types.ConsoleSessionDocument,
    "\n  query ConsoleNodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {\n    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ConsoleNodeRow\n        podCount\n      }\n    }\n  }\n": typeof types.ConsoleNodesDocument,
    "\n  subscription ConsoleNodeChanged($cluster: String, $labelSelector: String, $since: String) {\n    nodeChanged(cluster: $cluster, labelSelector: $labelSelector, since: $since) {\n      type\n      name\n      cursor\n      changes\n      node {\n        ...ConsoleNodeRow\n      }\n    }\n  }\n": typeof types.ConsoleNodeChangedDocument,
    "\n  query ConsoleNodeDetail($cluster: String, $name: String!) {\n    nodeByName(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n      internalIP\n      cordon {\n        reason\n        by\n        at\n      }\n      labels {\n        key\n        value\n      }\n      conditions {\n        type\n        status\n        reason\n        message\n        lastTransitionTime\n      }\n      capacity {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      allocatable {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      nodeInfo {\n        kubeletVersion\n        osImage\n        containerRuntimeVersion\n        architecture\n      }\n      pods(first: 500) {\n        totalCount\n        edges {\n          node {\n            namespace\n            name\n            phase\n            ready\n            restarts\n            daemonSet\n            mirror\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleNodeDetailDocument,
    "\n  mutation ConsoleCordon($cluster: String, $name: String!, $reason: String) {\n    cordonNode(cluster: $cluster, name: $name, reason: $reason) {\n      ...ConsoleNodeRow\n    }\n  }\n": typeof types.ConsoleCordonDocument,
    "\n  mutation ConsoleUncordon($cluster: String, $name: String!) {\n    uncordonNode(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n    }\n  }\n": typeof types.ConsoleUncordonDocument,
    "\n  mutation ConsoleDrain($cluster: String, $name: String!, $options: DrainOptions) {\n    drainNode(cluster: $cluster, name: $name, options: $options) {\n      id\n      node\n      state\n    }\n  }\n": typeof types.ConsoleDrainDocument,
    "\n  mutation ConsoleCancelDrain($id: ID!) {\n    cancelDrain(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.ConsoleCancelDrainDocument,
    "\n  query ConsoleDrainPods($id: ID!) {\n    drainJob(id: $id) {\n      id\n      node\n      state\n      error\n      counts {\n        total\n        pending\n        evicting\n        blocked\n        deleted\n        skipped\n        failed\n      }\n      pods {\n        namespace\n        name\n        status\n        message\n      }\n    }\n  }\n": typeof types.ConsoleDrainPodsDocument,
    "\n  subscription ConsoleDrainProgress($id: ID!) {\n    drainProgress(id: $id) {\n      sequence\n      kind\n      state\n      message\n      at\n      pod {\n        namespace\n        name\n      }\n      job {\n        id\n        node\n        error\n        counts {\n          total\n          pending\n          evicting\n          blocked\n          deleted\n          skipped\n          failed\n        }\n      }\n    }\n  }\n": typeof types.ConsoleDrainProgressDocument,
};
const documents: Documents = {
    "\n  fragment ConsoleNodeRow on KubeNode {\n    id\n    cluster\n    name\n    status\n    ready\n    schedulable\n    roles\n    resourceVersion\n    taints {\n      key\n      value\n      effect\n    }\n    createdAt\n  }\n": types.ConsoleNodeRowFragmentDoc,
    "\n  query ConsoleSession {\n    viewer {\n      username\n      groups\n      clusters {\n        cluster\n        canListNodes\n        canListPods\n        canCordon\n        canDrain\n      }\n    }\n    clusters {\n      name\n      isDefault\n      status\n      nodeCount\n      error\n    }\n  }\n": types.ConsoleSessionDocument,
    "\n  query ConsoleNodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {\n    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ConsoleNodeRow\n        podCount\n      }\n    }\n  }\n": types.ConsoleNodesDocument,
    "\n  subscription ConsoleNodeChanged($cluster: String, $labelSelector: String, $since: String) {\n    nodeChanged(cluster: $cluster, labelSelector: $labelSelector, since: $since) {\n      type\n      name\n      cursor\n      changes\n      node {\n        ...ConsoleNodeRow\n      }\n    }\n  }\n": types.ConsoleNodeChangedDocument,
    "\n  query ConsoleNodeDetail($cluster: String, $name: String!) {\n    nodeByName(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n      internalIP\n      cordon {\n        reason\n        by\n        at\n      }\n      labels {\n        key\n        value\n      }\n      conditions {\n        type\n        status\n        reason\n        message\n        lastTransitionTime\n      }\n      capacity {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      allocatable {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      nodeInfo {\n        kubeletVersion\n        osImage\n        containerRuntimeVersion\n        architecture\n      }\n      pods(first: 500) {\n        totalCount\n        edges {\n          node {\n            namespace\n            name\n            phase\n            ready\n            restarts\n            daemonSet\n            mirror\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleNodeDetailDocument,
    "\n  mutation ConsoleCordon($cluster: String, $name: String!, $reason: String) {\n    cordonNode(cluster: $cluster, name: $name, reason: $reason) {\n      ...ConsoleNodeRow\n    }\n  }\n": types.ConsoleCordonDocument,
    "\n  mutation ConsoleUncordon($cluster: String, $name: String!) {\n    uncordonNode(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n    }\n  }\n": types.ConsoleUncordonDocument,
    "\n  mutation ConsoleDrain($cluster: String, $name: String!, $options: DrainOptions) {\n    drainNode(cluster: $cluster, name: $name, options: $options) {\n      id\n      node\n      state\n    }\n  }\n": types.ConsoleDrainDocument,
    "\n  mutation ConsoleCancelDrain($id: ID!) {\n    cancelDrain(id: $id) {\n      id\n      state\n    }\n  }\n": types.ConsoleCancelDrainDocument,
    "\n  query ConsoleDrainPods($id: ID!) {\n    drainJob(id: $id) {\n      id\n      node\n      state\n      error\n      counts {\n        total\n        pending\n        evicting\n        blocked\n        deleted\n        skipped\n        failed\n      }\n      pods {\n        namespace\n        name\n        status\n        message\n      }\n    }\n  }\n": types.ConsoleDrainPodsDocument,
    "\n  subscription ConsoleDrainProgress($id: ID!) {\n    drainProgress(id: $id) {\n      sequence\n      kind\n      state\n      message\n      at\n      pod {\n        namespace\n        name\n      }\n      job {\n        id\n        node\n        error\n        counts {\n          total\n          pending\n          evicting\n          blocked\n          deleted\n          skipped\n          failed\n        }\n      }\n    }\n  }\n": types.ConsoleDrainProgressDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleNodeRow on KubeNode {\n    id\n    cluster\n    name\n    status\n    ready\n    schedulable\n    roles\n    resourceVersion\n    taints {\n      key\n      value\n      effect\n    }\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ConsoleNodeRow on KubeNode {\n    id\n    cluster\n    name\n    status\n    ready\n    schedulable\n    roles\n    resourceVersion\n    taints {\n      key\n      value\n      effect\n    }\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSession {\n    viewer {\n      username\n      groups\n      clusters {\n        cluster\n        canListNodes\n        canListPods\n        canCordon\n        canDrain\n      }\n    }\n    clusters {\n      name\n      isDefault\n      status\n      nodeCount\n      error\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSession {\n    viewer {\n      username\n      groups\n      clusters {\n        cluster\n        canListNodes\n        canListPods\n        canCordon\n        canDrain\n      }\n    }\n    clusters {\n      name\n      isDefault\n      status\n      nodeCount\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleNodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {\n    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ConsoleNodeRow\n        podCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleNodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {\n    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ConsoleNodeRow\n        podCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleNodeChanged($cluster: String, $labelSelector: String, $since: String) {\n    nodeChanged(cluster: $cluster, labelSelector: $labelSelector, since: $since) {\n      type\n      name\n      cursor\n      changes\n      node {\n        ...ConsoleNodeRow\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleNodeChanged($cluster: String, $labelSelector: String, $since: String) {\n    nodeChanged(cluster: $cluster, labelSelector: $labelSelector, since: $since) {\n      type\n      name\n      cursor\n      changes\n      node {\n        ...ConsoleNodeRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleNodeDetail($cluster: String, $name: String!) {\n    nodeByName(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n      internalIP\n      cordon {\n        reason\n        by\n        at\n      }\n      labels {\n        key\n        value\n      }\n      conditions {\n        type\n        status\n        reason\n        message\n        lastTransitionTime\n      }\n      capacity {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      allocatable {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      nodeInfo {\n        kubeletVersion\n        osImage\n        containerRuntimeVersion\n        architecture\n      }\n      pods(first: 500) {\n        totalCount\n        edges {\n          node {\n            namespace\n            name\n            phase\n            ready\n            restarts\n            daemonSet\n            mirror\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleNodeDetail($cluster: String, $name: String!) {\n    nodeByName(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n      internalIP\n      cordon {\n        reason\n        by\n        at\n      }\n      labels {\n        key\n        value\n      }\n      conditions {\n        type\n        status\n        reason\n        message\n        lastTransitionTime\n      }\n      capacity {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      allocatable {\n        cpu\n        memory\n        ephemeralStorage\n        pods\n      }\n      nodeInfo {\n        kubeletVersion\n        osImage\n        containerRuntimeVersion\n        architecture\n      }\n      pods(first: 500) {\n        totalCount\n        edges {\n          node {\n            namespace\n            name\n            phase\n            ready\n            restarts\n            daemonSet\n            mirror\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCordon($cluster: String, $name: String!, $reason: String) {\n    cordonNode(cluster: $cluster, name: $name, reason: $reason) {\n      ...ConsoleNodeRow\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCordon($cluster: String, $name: String!, $reason: String) {\n    cordonNode(cluster: $cluster, name: $name, reason: $reason) {\n      ...ConsoleNodeRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUncordon($cluster: String, $name: String!) {\n    uncordonNode(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUncordon($cluster: String, $name: String!) {\n    uncordonNode(cluster: $cluster, name: $name) {\n      ...ConsoleNodeRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDrain($cluster: String, $name: String!, $options: DrainOptions) {\n    drainNode(cluster: $cluster, name: $name, options: $options) {\n      id\n      node\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleDrain($cluster: String, $name: String!, $options: DrainOptions) {\n    drainNode(cluster: $cluster, name: $name, options: $options) {\n      id\n      node\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelDrain($id: ID!) {\n    cancelDrain(id: $id) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCancelDrain($id: ID!) {\n    cancelDrain(id: $id) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDrainPods($id: ID!) {\n    drainJob(id: $id) {\n      id\n      node\n      state\n      error\n      counts {\n        total\n        pending\n        evicting\n        blocked\n        deleted\n        skipped\n        failed\n      }\n      pods {\n        namespace\n        name\n        status\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleDrainPods($id: ID!) {\n    drainJob(id: $id) {\n      id\n      node\n      state\n      error\n      counts {\n        total\n        pending\n        evicting\n        blocked\n        deleted\n        skipped\n        failed\n      }\n      pods {\n        namespace\n        name\n        status\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleDrainProgress($id: ID!) {\n    drainProgress(id: $id) {\n      sequence\n      kind\n      state\n      message\n      at\n      pod {\n        namespace\n        name\n      }\n      job {\n        id\n        node\n        error\n        counts {\n          total\n          pending\n          evicting\n          blocked\n          deleted\n          skipped\n          failed\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleDrainProgress($id: ID!) {\n    drainProgress(id: $id) {\n      sequence\n      kind\n      state\n      message\n      at\n      pod {\n        namespace\n        name\n      }\n      job {\n        id\n        node\n        error\n        counts {\n          total\n          pending\n          evicting\n          blocked\n          deleted\n          skipped\n          failed\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;