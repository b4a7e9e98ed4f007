import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';

/**
 * A tiny stand-in for an apiserver's pod LIST, for the lister's edge cases the simulator does
 * not offer on purpose: a server without Table support, one that ignores `limit`, a body that
 * stalls or breaks mid-page. Not a simulator: only GET /api/v1/pods and .../namespaces/x/pods.
 */
export interface FakePod {
  namespace: string;
  name: string;
  nodeName?: string;
  phase: string;
}

export interface FakePodApiOptions {
  pods: FakePod[];
  /** Answer the Table Accept header with a Table. @default true */
  tables?: boolean;
  /** Honour `limit`. @default true */
  paging?: boolean;
  /** After this many bytes of a page's body: 'stall' stops sending, 'drop' closes the socket. */
  breakAfterBytes?: { bytes: number; how: 'stall' | 'drop'; page?: number };
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  accept: string;
}

export async function startFakePodApi(options: FakePodApiOptions) {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, query, accept: String(req.headers.accept ?? '') });
    const match = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 404, message: 'not found' }));
      return;
    }
    const selected = options.pods
      .filter((p) => match[1] === undefined || p.namespace === match[1])
      .filter((p) => matchesFieldSelector(p, query.fieldSelector ?? ''));
    const offset = Number(query.continue ?? 0);
    const limit = options.paging === false || !query.limit ? selected.length : Number(query.limit);
    const page = selected.slice(offset, offset + limit);
    const next = offset + limit < selected.length ? String(offset + limit) : undefined;
    const table = options.tables !== false && String(req.headers.accept).includes('as=Table');
    const body = Buffer.from(JSON.stringify(table ? tableOf(page, next) : podListOf(page, next)));
    res.writeHead(200, { 'content-type': 'application/json' });
    const pageIndex = requests.filter((r) => r.path === url.pathname).length - 1;
    const fault = options.breakAfterBytes;
    if (fault && (fault.page ?? 0) === pageIndex) {
      res.write(body.subarray(0, fault.bytes));
      if (fault.how === 'drop') res.socket?.destroy();
      return;
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    client(apiTimeoutMs = 2000) {
      return new KubeHttpClient({ cluster: 'fake', kubeConfig: kubeConfigFor(url), apiTimeoutMs });
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  return kc;
}

function matchesFieldSelector(pod: FakePod, selector: string): boolean {
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [field, op, value] = /^([^!=]+)(!=|==|=)(.*)$/.exec(term)?.slice(1) ?? [];
      const actual =
        field === 'status.phase' ? pod.phase : field === 'spec.nodeName' ? (pod.nodeName ?? '') : undefined;
      return op === '!=' ? actual !== value : actual === value;
    });
}

function podListOf(pods: FakePod[], next: string | undefined) {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '7', ...(next ? { continue: next } : {}) },
    items: pods.map((p) => ({
      metadata: {
        namespace: p.namespace,
        name: p.name,
        uid: `uid-${p.name}`,
        managedFields: [{ manager: 'x' }],
      },
      spec: { nodeName: p.nodeName, containers: [{ name: 'c', image: 'img' }] },
      status: { phase: p.phase },
    })),
  };
}

/** The columns of kubectl's `get pods` Table, as the API server sends them (wide ones included). */
export const POD_TABLE_COLUMNS: readonly string[] = [
  'Name',
  'Ready',
  'Status',
  'Restarts',
  'Age',
  'IP',
  'Node',
  'Nominated Node',
  'Readiness Gates',
];

function tableOf(pods: FakePod[], next: string | undefined) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '7', ...(next ? { continue: next } : {}) },
    columnDefinitions: POD_TABLE_COLUMNS.map((name) => ({
      name,
      type: 'string',
      format: '',
      description: '',
      priority: 0,
    })),
    rows: pods.map((p) => ({
      cells: [p.name, '1/1', p.phase, 0, '1d', '10.0.0.1', p.nodeName ?? '<none>', '<none>', '<none>'],
    })),
  };
}
