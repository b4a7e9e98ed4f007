/** The instrumentation scope of every span the gateway makes (operations and API calls). */
export const TRACER_NAME = 'kube-node-gateway';
