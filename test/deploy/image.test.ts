import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/**
 * No container engine runs here, so the image is checked two ways: scripts/check-package.sh
 * (in CI) runs what it runs, and this test keeps the Dockerfile saying what that script checks.
 */
describe('Dockerfile', () => {
  const dockerfile = readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const stages = async () => (await dockerfile).split(/^FROM /m).slice(1);

  it('builds on Node 24 and runs on distroless Node 24 as a non-root user', async () => {
    const all = await stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all[0]).toMatch(/^node:24[\w.-]* AS build/);
    const runtime = all.at(-1) ?? '';
    expect(runtime).toMatch(/^gcr\.io\/distroless\/nodejs24-debian\d+:nonroot/);
    const user = /^USER (\d+):(\d+)$/m.exec(runtime);
    expect(Number(user?.[1])).toBeGreaterThan(0);
    expect(runtime).not.toMatch(/^RUN /m);
  });

  it('runs the packed bin with production dependencies only, as the CI package check does', async () => {
    const text = await dockerfile;
    expect(text).toMatch(/npm install --omit=dev [^\n]*kube-node-gateway\.tgz/);
    expect(text).toContain(
      'ENTRYPOINT ["/nodejs/bin/node", "/app/node_modules/kube-node-gateway/dist/cli.js"]',
    );
    const script = await readFile(new URL('../../scripts/check-package.sh', import.meta.url), 'utf8');
    expect(script).toMatch(/npm install --omit=dev/);
  });

  it('sends the build only what it copies', async () => {
    const ignore = (await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8')).split('\n');
    expect(ignore).toContain('*');
    for (const kept of ignore.filter((l) => l.startsWith('!'))) {
      expect(kept).not.toMatch(/node_modules|\.git|test|bench|\.env/);
    }
  });
});
