import { afterAll, beforeAll } from 'vitest';
import { startGateway, type TestGateway } from '../support/start-gateway.js';
import { tempDir } from '../support/temp-dir.js';
import { createTransportTestSchema } from './test-schema.js';
import { writeUnreachableKubeconfig } from './unreachable-kubeconfig.js';

/**
 * A live gateway serving the transport test schema (no cluster behind it), started before the
 * calling file's tests and stopped after them. Read `.gateway` inside hooks and tests.
 */
export function useTransportTestGateway(): { readonly gateway: TestGateway } {
  const handle = {} as { gateway: TestGateway };
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    dir = await tempDir();
    handle.gateway = await startGateway({
      kubeconfigPath: await writeUnreachableKubeconfig(dir.path),
      schema: createTransportTestSchema(),
    });
  });
  afterAll(async () => {
    await handle.gateway?.stop();
    await dir?.cleanup();
  });
  return handle;
}
