import { describe, expect, it } from 'vitest';
import { type PodResourceSpec, podRequestsAndLimits } from '../../src/pods/pod-requests.js';
import { formatQuantity } from '../../src/pods/quantity.js';

function printed(pod: PodResourceSpec) {
  const { requests, limits } = podRequestsAndLimits(pod);
  const show = (m: Map<string, { nanos: bigint }>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, formatQuantity(v as never)]));
  return { requests: show(requests), limits: show(limits) };
}

const container = (name: string, requests: Record<string, string>, limits: Record<string, string> = {}) => ({
  name,
  resources: { requests, limits },
});

describe("a pod's requests and limits (kubectl's PodRequestsAndLimits)", () => {
  it('sums the containers', () => {
    expect(
      printed({
        spec: { containers: [container('a', { cpu: '100m' }, { cpu: '1' }), container('b', { cpu: '1' })] },
      }),
    ).toEqual({ requests: { cpu: '1100m' }, limits: { cpu: '1' } });
  });

  it('takes the larger of the containers and each init container', () => {
    expect(
      printed({
        spec: {
          initContainers: [container('init', { cpu: '2', memory: '64Mi' })],
          containers: [container('app', { cpu: '500m', memory: '1Gi' })],
        },
      }).requests,
    ).toEqual({ cpu: '2', memory: '1Gi' });
  });

  it('adds sidecar (restartable) init containers to the containers and to later init containers', () => {
    const pod: PodResourceSpec = {
      spec: {
        initContainers: [
          { ...container('sidecar', { cpu: '300m' }, { cpu: '300m' }), restartPolicy: 'Always' },
          container('late-init', { cpu: '1' }, { cpu: '1' }),
        ],
        containers: [container('app', { cpu: '200m' }, { cpu: '500m' })],
      },
    };
    // containers + sidecar = 500m; late init + sidecar = 1300m.
    expect(printed(pod)).toEqual({ requests: { cpu: '1300m' }, limits: { cpu: '1300m' } });
  });

  it('adds the pod overhead to requests, and to limits only where there is a limit', () => {
    expect(
      printed({
        spec: {
          overhead: { cpu: '50m', memory: '32Mi' },
          containers: [container('app', { cpu: '100m', memory: '32Mi' }, { cpu: '200m' })],
        },
      }),
    ).toEqual({ requests: { cpu: '150m', memory: '64Mi' }, limits: { cpu: '250m' } });
  });

  it('raises requests to what an in-place resize allocated, or takes the allocation when the resize is infeasible', () => {
    const spec = { containers: [container('app', { cpu: '100m', memory: '128Mi' })] };
    const statuses = [{ name: 'app', allocatedResources: { cpu: '300m', memory: '64Mi' } }];
    expect(printed({ spec, status: { containerStatuses: statuses } }).requests).toEqual({
      cpu: '300m',
      memory: '128Mi',
    });
    expect(printed({ spec, status: { resize: 'Infeasible', containerStatuses: statuses } }).requests).toEqual(
      {
        cpu: '300m',
        memory: '64Mi',
      },
    );
  });

  it('ignores values that are not quantities and pods without spec', () => {
    expect(printed({ spec: { containers: [container('a', { cpu: 'lots' })] } })).toEqual({
      requests: {},
      limits: {},
    });
    expect(printed({})).toEqual({ requests: {}, limits: {} });
  });
});
