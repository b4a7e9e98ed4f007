import { graphql } from '../../gql/index.js';

/** Label, taint and cordon-record operations (test/e2e/node-edits.test.ts). */
export const NODE_EDIT_FIELDS = graphql(`
  fragment NodeEditFields on KubeNode {
    id
    name
    resourceVersion
    schedulable
    labels {
      key
      value
    }
    taints {
      key
      value
      effect
    }
    cordon {
      reason
      by
      at
    }
  }
`);

export const NODE_EDIT_STATE = graphql(`
  query NodeEditState($cluster: String, $name: String!) {
    nodeByName(cluster: $cluster, name: $name) {
      ...NodeEditFields
    }
  }
`);

export const SET_NODE_LABELS = graphql(`
  mutation SetNodeLabels(
    $cluster: String
    $name: String!
    $set: [LabelInput!]
    $remove: [String!]
    $resourceVersion: String
  ) {
    setNodeLabels(cluster: $cluster, name: $name, set: $set, remove: $remove, resourceVersion: $resourceVersion) {
      ...NodeEditFields
    }
  }
`);

export const SET_NODE_TAINTS = graphql(`
  mutation SetNodeTaints(
    $cluster: String
    $name: String!
    $set: [TaintInput!]
    $remove: [TaintKeyInput!]
    $resourceVersion: String
  ) {
    setNodeTaints(cluster: $cluster, name: $name, set: $set, remove: $remove, resourceVersion: $resourceVersion) {
      ...NodeEditFields
    }
  }
`);

export const CORDON_WITH_REASON = graphql(`
  mutation CordonWithReason($cluster: String, $name: String!, $reason: String) {
    cordonNode(cluster: $cluster, name: $name, reason: $reason) {
      ...NodeEditFields
    }
  }
`);

export const UNCORDON_WITH_RECORD = graphql(`
  mutation UncordonWithRecord($cluster: String, $name: String!) {
    uncordonNode(cluster: $cluster, name: $name) {
      ...NodeEditFields
    }
  }
`);
