/**
 * Field tables for the kinds a workload's manifests hold (core/v1 ConfigMap, Secret, ServiceAccount,
 * Service; apps/v1 Deployment), from k8s.io/api v0.32 generated.proto: what `kubectl create
 * configmap|secret|serviceaccount|service|deployment` send as protobuf. The pod template covers what
 * `kubectl create deployment` and typed clients commonly set; fields not listed are skipped, as unknown
 * fields are. `keepZero` as in kube-messages.ts.
 */
import { LabelSelector, ObjectMeta } from './kube-messages.js';
import type { MessageType } from './message-decoder.js';

const IntOrString: MessageType = {
  name: 'IntOrString',
  fields: {
    1: { name: 'type', type: 'int64' },
    2: { name: 'intVal', type: 'int32' },
    3: { name: 'strVal', type: 'string' },
  },
  toJson: (d) => (d.type === 1 ? (d.strVal ?? '') : (d.intVal ?? 0)),
};

const Quantity: MessageType = {
  name: 'Quantity',
  fields: { 1: { name: 'string', type: 'string' } },
  toJson: (d) => d.string ?? '0',
};

const ConfigMap: MessageType = {
  name: 'ConfigMap',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool', keepZero: true },
  },
};

const Secret: MessageType = {
  name: 'Secret',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool', keepZero: true },
  },
};

const ObjectReference: MessageType = {
  name: 'ObjectReference',
  fields: {
    1: { name: 'kind', type: 'string' },
    2: { name: 'namespace', type: 'string' },
    3: { name: 'name', type: 'string' },
    4: { name: 'uid', type: 'string' },
    5: { name: 'apiVersion', type: 'string' },
    6: { name: 'resourceVersion', type: 'string' },
    7: { name: 'fieldPath', type: 'string' },
  },
};

const LocalObjectReference: MessageType = {
  name: 'LocalObjectReference',
  fields: { 1: { name: 'name', type: 'string' } },
};

const ServiceAccount: MessageType = {
  name: 'ServiceAccount',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'secrets', type: ObjectReference, repeated: true },
    3: { name: 'imagePullSecrets', type: LocalObjectReference, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
  },
};

const ServicePort: MessageType = {
  name: 'ServicePort',
  fields: {
    1: { name: 'name', type: 'string' },
    2: { name: 'protocol', type: 'string' },
    3: { name: 'port', type: 'int32', keepZero: true },
    4: { name: 'targetPort', type: IntOrString },
    5: { name: 'nodePort', type: 'int32' },
    6: { name: 'appProtocol', type: 'string', keepZero: true },
  },
};

const Service: MessageType = {
  name: 'Service',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: {
        name: 'ServiceSpec',
        fields: {
          1: { name: 'ports', type: ServicePort, repeated: true },
          2: { name: 'selector', type: { map: 'string' } },
          3: { name: 'clusterIP', type: 'string' },
          4: { name: 'type', type: 'string' },
          5: { name: 'externalIPs', type: 'string', repeated: true },
          7: { name: 'sessionAffinity', type: 'string' },
          8: { name: 'loadBalancerIP', type: 'string' },
          9: { name: 'loadBalancerSourceRanges', type: 'string', repeated: true },
          10: { name: 'externalName', type: 'string' },
          11: { name: 'externalTrafficPolicy', type: 'string' },
          12: { name: 'healthCheckNodePort', type: 'int32' },
          13: { name: 'publishNotReadyAddresses', type: 'bool' },
          17: { name: 'ipFamilyPolicy', type: 'string', keepZero: true },
          18: { name: 'clusterIPs', type: 'string', repeated: true },
          19: { name: 'ipFamilies', type: 'string', repeated: true },
          20: { name: 'allocateLoadBalancerNodePorts', type: 'bool', keepZero: true },
          21: { name: 'loadBalancerClass', type: 'string', keepZero: true },
          22: { name: 'internalTrafficPolicy', type: 'string', keepZero: true },
        },
      },
    },
  },
};

const ContainerPort: MessageType = {
  name: 'ContainerPort',
  fields: {
    1: { name: 'name', type: 'string' },
    2: { name: 'hostPort', type: 'int32' },
    3: { name: 'containerPort', type: 'int32', keepZero: true },
    4: { name: 'protocol', type: 'string' },
    5: { name: 'hostIP', type: 'string' },
  },
};

const EnvVar: MessageType = {
  name: 'EnvVar',
  fields: { 1: { name: 'name', type: 'string', keepZero: true }, 2: { name: 'value', type: 'string' } },
};

const ResourceRequirements: MessageType = {
  name: 'ResourceRequirements',
  fields: {
    1: { name: 'limits', type: { map: Quantity } },
    2: { name: 'requests', type: { map: Quantity } },
  },
};

const Container: MessageType = {
  name: 'Container',
  fields: {
    1: { name: 'name', type: 'string', keepZero: true },
    2: { name: 'image', type: 'string' },
    3: { name: 'command', type: 'string', repeated: true },
    4: { name: 'args', type: 'string', repeated: true },
    5: { name: 'workingDir', type: 'string' },
    6: { name: 'ports', type: ContainerPort, repeated: true },
    7: { name: 'env', type: EnvVar, repeated: true },
    8: { name: 'resources', type: ResourceRequirements },
    13: { name: 'terminationMessagePath', type: 'string' },
    14: { name: 'imagePullPolicy', type: 'string' },
    20: { name: 'terminationMessagePolicy', type: 'string' },
  },
};

const PodSpec: MessageType = {
  name: 'PodSpec',
  fields: {
    2: { name: 'containers', type: Container, repeated: true, keepZero: true },
    3: { name: 'restartPolicy', type: 'string' },
    4: { name: 'terminationGracePeriodSeconds', type: 'int64', keepZero: true },
    6: { name: 'dnsPolicy', type: 'string' },
    7: { name: 'nodeSelector', type: { map: 'string' } },
    8: { name: 'serviceAccountName', type: 'string' },
    19: { name: 'schedulerName', type: 'string' },
    20: { name: 'initContainers', type: Container, repeated: true },
  },
};

const Deployment: MessageType = {
  name: 'Deployment',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: {
        name: 'DeploymentSpec',
        fields: {
          1: { name: 'replicas', type: 'int32', keepZero: true },
          2: { name: 'selector', type: LabelSelector },
          3: {
            name: 'template',
            type: {
              name: 'PodTemplateSpec',
              fields: { 1: { name: 'metadata', type: ObjectMeta }, 2: { name: 'spec', type: PodSpec } },
            },
          },
          4: {
            name: 'strategy',
            type: {
              name: 'DeploymentStrategy',
              fields: {
                1: { name: 'type', type: 'string' },
                2: {
                  name: 'rollingUpdate',
                  type: {
                    name: 'RollingUpdateDeployment',
                    fields: {
                      1: { name: 'maxUnavailable', type: IntOrString },
                      2: { name: 'maxSurge', type: IntOrString },
                    },
                  },
                },
              },
            },
          },
          5: { name: 'minReadySeconds', type: 'int32' },
          6: { name: 'revisionHistoryLimit', type: 'int32', keepZero: true },
          7: { name: 'paused', type: 'bool' },
          9: { name: 'progressDeadlineSeconds', type: 'int32', keepZero: true },
        },
      },
    },
  },
};

export const DEPLOY_PROTOBUF_KINDS: ReadonlyArray<[string, MessageType]> = [
  ['ConfigMap', ConfigMap],
  ['Secret', Secret],
  ['ServiceAccount', ServiceAccount],
  ['Service', Service],
  ['Deployment', Deployment],
];
