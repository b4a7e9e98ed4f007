import { mkdir } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { evictedPods, guardPodWithBudget, isEvictionCreate, podsOn } from '../drain/drain-e2e-support.js';
import { kubectlFor } from '../sim/kubectl-helpers.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { bindUser, clusterRole } from '../support/rbac-objects.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';

/** Screenshots the test writes (and a person looks at): the table and a running drain. */
const SCREENSHOTS = new URL('../../.tmp/screenshots/', import.meta.url);

async function openConsole(page: Page, gateway: TestGateway, search = ''): Promise<void> {
  await page.goto(`${gateway.baseUrl}/console/${search}`);
  await page.locator('[data-node]').first().waitFor();
}

/** axe-core's serious and critical findings (the ones that stop someone using the page). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('web console in Chromium against a live gateway on the simulator', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    cluster = await startSimCluster({ nodes: 60, pods: 900, seed: 16 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { drain: SIM_DRAIN_CONFIG },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await cluster?.stop();
  });

  it("shows the simulator's node count; a kubectl cordon shows as SchedulingDisabled within 1 s, without a reload", async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openConsole(page, gateway);
    await page.getByText('60 nodes').waitFor();
    await page.getByText('· live').waitFor();
    expect(await page.getByRole('table', { name: 'Nodes' }).getAttribute('aria-rowcount')).toBe('61');
    // Requested and used CPU and memory as bars, from the one pod LIST and the one metrics LIST.
    const first = await page.locator('[data-node]').first().getAttribute('data-node');
    const cpu = page.getByRole('meter', { name: `${first} CPU requested` });
    expect(Number(await cpu.getAttribute('value'))).toBeGreaterThan(0);
    expect(
      Number(await page.getByRole('meter', { name: `${first} memory used` }).getAttribute('value')),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: new URL('console-table.png', SCREENSHOTS).pathname });

    const node = cluster.sim.cluster.findWorkerNode();
    const kubectl = await kubectlFor(cluster.sim);
    try {
      const status = page.locator(`[data-node="${node}"] .status`);
      await expect.poll(() => status.textContent()).toBe('Ready');
      await kubectl.ok(['cordon', node]);
      const cordonedAt = Date.now();
      await status.filter({ hasText: 'SchedulingDisabled' }).waitFor({ timeout: 1000 });
      console.log(`kubectl cordon -> row shows SchedulingDisabled in ${Date.now() - cordonedAt} ms`);
      expect(await page.locator(`[data-node="${node}"]`).getAttribute('class')).toContain('changed');
      await kubectl.ok(['uncordon', node]);
      await status.filter({ hasText: /^Ready$/ }).waitFor({ timeout: 1000 });
    } finally {
      kubectl.dispose();
      await page.close();
    }
  });

  it('cordons with a reason from the UI: kubectl sees the record, the drawer shows why', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const node = cluster.sim.cluster.findWorkerNode();
    const kubectl = await kubectlFor(cluster.sim);
    try {
      await openConsole(page, gateway, `?name=${node}`);
      await page.getByRole('button', { name: `Cordon ${node}`, exact: true }).click();
      await page.getByLabel('Reason').fill('kernel upgrade OPS-42');
      await page.getByRole('dialog').getByRole('button', { name: 'Cordon' }).click();
      await page.locator(`[data-node="${node}"] .status`, { hasText: 'SchedulingDisabled' }).waitFor();
      const annotations = JSON.parse(
        await kubectl.ok(['get', 'node', node, '-o', 'jsonpath={.metadata.annotations}']),
      );
      expect(annotations['kube-node-gateway.io/cordon-reason']).toBe('kernel upgrade OPS-42');
      await page.getByRole('button', { name: node, exact: true }).click();
      await page.locator('.cordon-record', { hasText: 'kernel upgrade OPS-42' }).waitFor();
      await page.getByRole('button', { name: `Uncordon ${node}`, exact: true }).click();
      await page.locator(`[data-node="${node}"] .status`, { hasText: /^Ready$/ }).waitFor();
    } finally {
      kubectl.dispose();
      await page.close();
    }
  });

  it('keeps filters and sort in the URL', async () => {
    const page = await browser.browser.newPage();
    await openConsole(page, gateway, '?role=control-plane&dir=DESC');
    await expect.poll(() => page.locator('[data-node]').count()).toBeLessThan(10);
    const names = await page
      .locator('[data-node]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
    expect(names).toEqual([...names].sort().reverse());
    await page.getByLabel('Schedulable').selectOption('true');
    await expect.poll(() => new URL(page.url()).searchParams.get('schedulable')).toBe('true');
    expect(new URL(page.url()).searchParams.get('role')).toBe('control-plane');
    await page.close();
  });

  it('drains a node from the UI to done, per pod; the simulator audit has the evictions', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const node = cluster.sim.cluster.findWorkerNode();
    const since = Date.now();
    await openConsole(page, gateway, `?name=${node}`);
    await page.getByRole('button', { name: `Drain ${node}`, exact: true }).click();
    await page.getByLabel('Delete emptyDir data (--delete-emptydir-data)').check();
    await page.getByLabel('Force: delete pods without a controller (--force)').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Drain' }).click();
    const panel = page.getByRole('region', { name: `Drain of ${node}` });
    await panel.locator('.drain-pods li').first().waitFor();
    await page.screenshot({ path: new URL('console-drain-running.png', SCREENSHOTS).pathname });
    await panel.and(page.locator('[data-state="SUCCEEDED"]')).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: new URL('console-drain-done.png', SCREENSHOTS).pathname });
    const rows = await panel
      .locator('.drain-pods li')
      .evaluateAll((li) => li.map((l) => l.getAttribute('data-status')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((s) => s === 'DELETED' || s === 'SKIPPED')).toBe(true);
    const evicted = evictedPods(cluster.sim, since);
    expect(evicted.length).toBe(rows.filter((s) => s === 'DELETED').length);
    expect(podsOn(cluster.sim, node).filter((p) => !p.metadata?.deletionTimestamp).length).toBe(
      rows.filter((s) => s === 'SKIPPED').length,
    );
    await page.close();
  });

  it('drains a selection of nodes in bulk from the UI, node by node, to done', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const nodes = [cluster.sim.cluster.findWorkerNode()];
    nodes.push(cluster.sim.cluster.findWorkerNode({ exclude: nodes }));
    const since = Date.now();
    await openConsole(page, gateway);
    for (const node of nodes) {
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(node);
      await page.getByRole('checkbox', { name: `Select ${node}` }).check();
    }
    await page.getByRole('button', { name: 'Drain selected (2)' }).click();
    await page.getByLabel('Nodes drained at once').fill('2');
    await page.getByLabel('Delete emptyDir data (--delete-emptydir-data)').check();
    await page.getByLabel('Force: delete pods without a controller (--force)').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Drain' }).click();
    const panel = page.getByRole('region', { name: 'Bulk drain of 2 nodes' });
    await panel.and(page.locator('[data-state="SUCCEEDED"]')).waitFor({ timeout: 90_000 });
    const states = await panel
      .locator('.bulk-nodes li')
      .evaluateAll((li) => li.map((l) => l.getAttribute('data-status')));
    expect(states).toEqual(['DRAINED', 'DRAINED']);
    expect(evictedPods(cluster.sim, since).length).toBeGreaterThan(0);
    for (const node of nodes) expect(cluster.sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    await page.close();
  }, 120_000);

  it("shows a PDB-blocked pod's reason; cancel stops the drain with no eviction after it returns", async () => {
    const page = await browser.browser.newPage();
    const node = cluster.sim.cluster.findWorkerNode();
    const guarded = guardPodWithBudget(cluster.sim, node);
    await openConsole(page, gateway, `?name=${node}`);
    await page.getByRole('button', { name: `Drain ${node}`, exact: true }).click();
    await page.getByLabel('Delete emptyDir data (--delete-emptydir-data)').check();
    await page.getByLabel('Force: delete pods without a controller (--force)').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Drain' }).click();
    const panel = page.getByRole('region', { name: `Drain of ${node}` });
    const blocked = panel.locator(`li[data-status="BLOCKED"]`, { hasText: guarded.metadata!.name! });
    await blocked.waitFor({ timeout: 30_000 });
    expect(await blocked.locator('.blocked-reason').textContent()).toMatch(/disruption budget/i);
    await panel.getByRole('button', { name: 'Cancel drain' }).click();
    await panel.and(page.locator('[data-state="CANCELLED"]')).waitFor({ timeout: 10_000 });
    const cancelledAt = Date.now();
    // The runner's retry cadence (SIM_DRAIN_CONFIG) would have sent another eviction by now.
    await new Promise((r) => setTimeout(r, SIM_DRAIN_CONFIG.evictRetryDelayMs * 3));
    const late = cluster.sim.audit
      .entries()
      .filter(
        (e) => isEvictionCreate(e) && e.name === guarded.metadata!.name && Date.parse(e.time) > cancelledAt,
      );
    expect(late).toEqual([]);
    await page.close();
  });

  // axe-core takes seconds per scan here: a short table (name filter), and two scans.
  it('has no serious or critical accessibility violation (table with drawer, drain dialog)', {
    timeout: 120_000,
  }, async () => {
    // axe-core runs its frames in the page's own context, which a bare newPage() does not have.
    const context = await browser.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await openConsole(page, gateway, '?name=node-001');
    const first = await page.locator('[data-node]').first().getAttribute('data-node');
    await page.getByRole('button', { name: first!, exact: true }).click();
    await page.locator('.drawer .detail').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Drain ${first}`, exact: true }).click();
    await page.getByRole('dialog').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('is absent with --no-console', async () => {
    const off = await startGateway({ kubeconfigPath: cluster.kubeconfigPath, config: { console: false } });
    try {
      expect((await fetch(`${off.baseUrl}/console/`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});

const TOKENS = [
  { token: 'viewer-token', user: 'vera', uid: 'u-vera', groups: ['viewers'] },
  { token: 'operator-token', user: 'otto', uid: 'u-otto', groups: ['operators'] },
];

describe('web console with --auth kubernetes', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 10,
      pods: 100,
      seed: 17,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: [
        clusterRole('node-viewer', [
          { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
        ]),
        clusterRole('node-operator', [
          { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
          { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
          { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
        ]),
        bindUser('node-viewer-vera', 'node-viewer', 'vera'),
        bindUser('node-operator-otto', 'node-operator', 'otto'),
      ],
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' } },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await cluster?.stop();
  });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${gateway.baseUrl}/console/`);
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-node]').first().waitFor();
  }

  it('asks for a token, refuses a wrong one, and keeps the right one in session storage', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${gateway.baseUrl}/console/`);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expect.poll(() => page.locator('[data-node]').count()).toBe(0);
    await signIn(page, 'viewer-token');
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual(['viewer-token']);
    expect(await page.evaluate(() => Object.values(localStorage))).toEqual([]);
    await page.close();
  });

  it('shows a view-only user no cordon or drain buttons, and an operator both', async () => {
    const viewer = await browser.browser.newPage();
    await signIn(viewer, 'viewer-token');
    await viewer.getByText('10 nodes').waitFor();
    expect(await viewer.getByRole('button', { name: /^(Cordon|Uncordon|Drain) / }).count()).toBe(0);
    await viewer.close();

    const operator = await browser.browser.newPage();
    await signIn(operator, 'operator-token');
    await operator.getByText('10 nodes').waitFor();
    expect(await operator.getByRole('button', { name: /^Cordon / }).count()).toBeGreaterThan(0);
    expect(await operator.getByRole('button', { name: /^Drain / }).count()).toBeGreaterThan(0);
    await operator.close();
  });
});
