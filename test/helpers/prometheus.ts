/** The real Prometheus the demo starts, for integration tests (see src/demo/prometheus.ts). */
export { freePort, startPrometheus, waitForSamples, type PrometheusOptions, type RunningPrometheus } from '../../src/demo/prometheus.js';
