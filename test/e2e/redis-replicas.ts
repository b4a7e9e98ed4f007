import { Redis } from 'ioredis';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import { SIM_DRAIN_FLAGS } from '../support/drain-timings.js';
import { type SpawnedGateway, spawnGateway } from '../support/spawn-gateway.js';

/**
 * Gateway processes sharing one Redis (a unique key prefix per test file), each its own OS
 * process so a test can kill -9 one: drains with the simulator's fast timings and a short lease.
 */
export async function spawnRedisReplicas(options: {
  kubeconfigPath: string;
  redisKeyPrefix: string;
  count: number;
  leaseSeconds?: number;
  extraArgs?: readonly string[];
}): Promise<SpawnedGateway[]> {
  const args = [
    '--kubeconfig',
    options.kubeconfigPath,
    '--redis',
    REDIS_URL,
    '--redis-key-prefix',
    options.redisKeyPrefix,
    '--drain-lease',
    `${options.leaseSeconds ?? 1}s`,
    ...SIM_DRAIN_FLAGS,
    ...(options.extraArgs ?? []),
  ];
  return Promise.all(Array.from({ length: options.count }, () => spawnGateway(args)));
}

/** Kills the replicas (-9: nothing to wait for) and deletes the test's Redis keys. */
export async function stopRedisReplicas(
  replicas: readonly (SpawnedGateway | undefined)[],
  redisKeyPrefix: string,
): Promise<void> {
  for (const replica of replicas) replica?.kill('SIGKILL');
  await Promise.all(replicas.map((replica) => replica?.exited));
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, redisKeyPrefix);
  redis.disconnect();
}
