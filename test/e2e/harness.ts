/** Everything an e2e test needs: a simulated cluster reached through a kubeconfig, and a gateway. */
export * from './gateway-harness.js';
export * from './sim-cluster.js';
