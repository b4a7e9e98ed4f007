import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQLWith } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, type SpawnedGateway, spawnGateway, startSimCluster } from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';
import { NODE_POD_COUNTS, NODE_PODS } from './operations/pods.js';

/** One span as an OTLP/HTTP JSON export carries it, attributes flattened to their values. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  traceState?: string;
  attributes: Record<string, string | number | boolean>;
  service: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: (Omit<ReceivedSpan, 'attributes' | 'service'> & { attributes?: OtlpAttribute[] })[];
    }[];
  }[];
}

function flatten(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (v !== undefined) out[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return out;
}

/** A minimal OTLP/HTTP collector: keeps every JSON body posted to /v1/traces. */
async function startOtlpReceiver() {
  const bodies: string[] = [];
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const parsed = JSON.parse(body) as OtlpExport;
      for (const rs of parsed.resourceSpans ?? []) {
        const service = String(flatten(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              ...s,
              parentSpanId: s.parentSpanId ?? '',
              attributes: flatten(s.attributes),
              service,
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const CALLER_TOKEN = `caller-${randomBytes(12).toString('hex')}`;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('traces (OTLP/HTTP JSON to a receiver in the test)', () => {
  let cluster: SimCluster;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let gateway: SpawnedGateway;
  let graphqlUrl: string;

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 5,
      pods: 40,
      seed: 3,
      tokens: [{ token: CALLER_TOKEN, user: 'alice', uid: 'u-alice', groups: ['system:masters'] }],
    });
    receiver = await startOtlpReceiver();
    gateway = await spawnGateway(['--kubeconfig', cluster.kubeconfigPath, '--auth', 'kubernetes'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    graphqlUrl = gateway.graphqlUrl;
  });

  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await gateway?.exited;
    await receiver?.close();
    await cluster?.stop();
  });

  it("continues the client's trace: the operation span's parent is the client's span, the pod LIST its child", async () => {
    const traceId = hex(16);
    const clientSpanId = hex(8);
    const res = await postGraphQLWith(
      graphqlUrl,
      {
        authorization: `Bearer ${CALLER_TOKEN}`,
        traceparent: `00-${traceId}-${clientSpanId}-01`,
        tracestate: 'client=abc',
      },
      NODE_POD_COUNTS,
      {},
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes?.nodes.length).toBe(5);

    const operation = await waitFor(
      () => receiver.spans.find((s) => s.traceId === traceId && s.name === 'query.NodePodCounts'),
      { what: 'the operation span' },
    );
    expect(operation.parentSpanId).toBe(clientSpanId);
    expect(operation.service).toBe('gateway-under-test');
    expect(operation.traceState).toBe('client=abc');
    expect(operation.attributes['graphql.execute.operationName']).toBe('NodePodCounts');
    expect(operation.attributes['graphql.execute.operationType']).toBe('query');
    // Documents, variables and results are never recorded.
    expect(operation.attributes['graphql.execute.document']).toBeUndefined();
    expect(operation.attributes['graphql.execute.variables']).toBeUndefined();

    // The pod count's LIST runs in a DataLoader batch, a tick after the resolvers: still the operation's child.
    const lists = await waitFor(
      () => {
        const found = receiver.spans.filter((s) => s.traceId === traceId && s.name === 'list pods');
        return found.length > 0 && found;
      },
      { what: 'the pod LIST span' },
    );
    for (const list of lists) {
      expect(list.parentSpanId).toBe(operation.spanId);
      expect(list.kind).toBe(3); // CLIENT
      expect(list.attributes).toMatchObject({
        'kube.verb': 'list',
        'kube.resource': 'pods',
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'k8s.cluster.name': cluster.contextName,
        'url.path': '/api/v1/pods',
      });
    }

    // The caller's TokenReview continues the same trace (it runs before the operation starts).
    const review = await waitFor(
      () => receiver.spans.find((s) => s.traceId === traceId && s.name === 'create tokenreviews'),
      { what: 'the TokenReview span' },
    );
    expect(review.attributes['http.response.status_code']).toBe(201);

    // A log line of the request carries its trace id.
    const line = await waitFor(() => gateway.logs.find((l) => l.trace_id === traceId), {
      what: 'a log line with the trace id',
    });
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a malformed traceparent starts a new trace: no error to the client', async () => {
    const before = receiver.spans.length;
    const bogus = `00-${'z'.repeat(32)}-${hex(8)}-01`;
    const res = await postGraphQLWith(
      graphqlUrl,
      { authorization: `Bearer ${CALLER_TOKEN}`, traceparent: bogus, tracestate: '=,;;,,==x' },
      NODE_NAMES_QUERY,
      {},
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes?.nodes.length).toBe(5);
    const operation = await waitFor(
      () => receiver.spans.slice(before).find((s) => s.name === 'query.NodeNames'),
      { what: 'the operation span of the malformed request' },
    );
    expect(operation.parentSpanId).toBe('');
    expect(operation.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(operation.traceId).not.toBe('0'.repeat(32));
  });

  it('a graphql-ws subscription has its operation span (ended when the subscription ends)', async () => {
    const client = gateway.as(CALLER_TOKEN);
    const subscription = client.subscribe(NODE_CHANGED_SUBSCRIPTION, {});
    await waitForNodeSubscribers(gateway, 1);
    subscription.close();
    const span = await waitFor(() => receiver.spans.find((s) => s.name === 'subscription.NodeChanged'), {
      what: 'the subscription span',
    });
    expect(span.attributes['graphql.execute.operationType']).toBe('subscription');
    await client.close();
  });

  it('an impersonated call says so, but not who; a namespaced call names its namespace', async () => {
    const names = await postGraphQLWith(
      graphqlUrl,
      { authorization: `Bearer ${CALLER_TOKEN}` },
      NODE_NAMES_QUERY,
      {},
    );
    const node = names.data!.nodes!.nodes[0]!.name;
    const traceId = hex(16);
    const res = await postGraphQLWith(
      graphqlUrl,
      { authorization: `Bearer ${CALLER_TOKEN}`, traceparent: `00-${traceId}-${hex(8)}-01` },
      NODE_PODS,
      { name: node, namespace: 'default' },
    );
    expect(res.errors).toBeUndefined();
    const list = await waitFor(
      () => receiver.spans.find((s) => s.traceId === traceId && s.name === 'list pods'),
      { what: 'the pods-on-node LIST span' },
    );
    expect(list.attributes).toMatchObject({
      'kube.impersonated': true,
      'k8s.namespace.name': 'default',
      'url.path': '/api/v1/namespaces/default/pods',
    });
    const values = receiver.spans
      .filter((s) => s.traceId === traceId)
      .flatMap((s) => Object.values(s.attributes));
    expect(values).not.toContain('alice');
  });

  // Last: it reads every export of the tests above.
  it('never exports a bearer token or a header value', async () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    const everything = receiver.bodies.join('\n');
    expect(everything).not.toContain(CALLER_TOKEN);
    expect(everything).not.toContain(cluster.sim.token);
    expect(everything.toLowerCase()).not.toContain('bearer');
    expect(everything.toLowerCase()).not.toContain('impersonate-');
  });
});

describe('traces on shutdown', () => {
  it('spans still queued are exported before the process exits (SIGTERM)', async () => {
    const cluster = await startSimCluster({ nodes: 2, pods: 4, seed: 5 });
    const receiver = await startOtlpReceiver();
    try {
      const gateway = await spawnGateway(['--kubeconfig', cluster.kubeconfigPath, '--shutdown-delay', '0'], {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
        // Nothing would be exported for ten minutes: only the shutdown flush can deliver it.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      const traceId = hex(16);
      const res = await postGraphQLWith(
        gateway.graphqlUrl,
        { traceparent: `00-${traceId}-${hex(8)}-01` },
        NODE_POD_COUNTS,
        {},
      );
      expect(res.errors).toBeUndefined();
      expect(receiver.spans.some((s) => s.traceId === traceId)).toBe(false);
      gateway.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      const names = receiver.spans.filter((s) => s.traceId === traceId).map((s) => s.name);
      expect(names).toContain('query.NodePodCounts');
      expect(names).toContain('list pods');
    } finally {
      await receiver.close();
      await cluster.stop();
    }
  });
});
