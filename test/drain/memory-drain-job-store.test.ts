import { MemoryDrainJobStore } from '../../src/drain/memory-drain-job-store.js';
import { MemoryNodeLock } from '../../src/drain/memory-node-lock.js';
import { MemoryPubSub } from '../../src/events/memory-pubsub.js';
import { CONTRACT_LIMITS, describeDrainJobStore } from './drain-job-store-contract.js';

describeDrainJobStore('memory', async () => {
  const lock = new MemoryNodeLock();
  const store = new MemoryDrainJobStore(lock, new MemoryPubSub(), CONTRACT_LIMITS);
  return { store, lock, close: async () => {} };
});
