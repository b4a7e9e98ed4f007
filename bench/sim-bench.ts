/**
 * How fast the simulator serves pages of 500 pods from a 5000-node / 100,000-pod cluster over HTTPS
 * (keep-alive, one client), so gateway benchmarks can tell that the simulator is not their bottleneck.
 */
import { Agent, request } from 'node:https';
import { startSimulator } from '../src/sim/index.js';

function getPage(
  agent: Agent,
  url: string,
  token: string,
  ca: string,
): Promise<{ bytes: number; continueToken: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200)
            return reject(new Error(`HTTP ${res.statusCode}: ${body.toString().slice(0, 200)}`));
          // Only the list metadata is needed: the continue token sits before the items.
          const head = body.subarray(0, 2048).toString();
          const m = /"continue":"([^"]+)"/.exec(head);
          resolve({ bytes: body.length, continueToken: m?.[1] });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function benchSimulator(): Promise<void> {
  const nodes = 5000;
  const pods = 100_000;
  const startedAt = performance.now();
  const sim = await startSimulator({ nodes, pods, heartbeatIntervalMs: 0 });
  const startMs = performance.now() - startedAt;
  try {
    global.gc?.();
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    const rssMb = process.memoryUsage().rss / 1e6;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ca = sim.caPem ?? '';
    const passes = 2;
    let pages = 0;
    let bytes = 0;
    let items = 0;
    const t0 = performance.now();
    for (let pass = 0; pass < passes; pass++) {
      let token: string | undefined;
      do {
        const url = `${sim.url}/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
        const page = await getPage(agent, url, sim.token, ca);
        pages++;
        bytes += page.bytes;
        items += 500;
        token = page.continueToken;
      } while (token);
    }
    const elapsed = performance.now() - t0;
    agent.destroy();
    const node = JSON.stringify(sim.cluster.getNode('node-0100')).length;
    console.log(
      `sim: ${nodes} nodes / ${pods} pods started in ${(startMs / 1000).toFixed(1)} s, heap ${heapMb.toFixed(0)} MB, rss ${rssMb.toFixed(0)} MB, node JSON ~${(node / 1024).toFixed(1)} KB`,
    );
    console.log(
      `sim: pages of 500 pods served: ${(pages / (elapsed / 1000)).toFixed(1)} pages/s, ${(elapsed / pages).toFixed(2)} ms/page ` +
        `(${pages} pages, ${Math.min(items, pods * passes)} pods, ${(bytes / pages / 1e6).toFixed(2)} MB/page, HTTPS keep-alive, 1 client)`,
    );
  } finally {
    await sim.stop();
  }
}

// `tsx bench/sim-bench.ts` runs it directly.
if (import.meta.url === `file://${process.argv[1]}`) await benchSimulator();
