/** Everything an e2e test needs: a simulated cluster reached through a kubeconfig, and a gateway. */
export * from '../support/gateway-client.js';
export * from '../support/spawn-gateway.js';
export * from '../support/start-gateway.js';
export * from '../support/temp-dir.js';
export * from './sim-cluster.js';
