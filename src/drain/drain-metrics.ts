import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Drain metrics, registered on the gateway's registry. */
export class DrainMetrics {
  /** Finished jobs by outcome (succeeded, failed, cancelled), counted by the replica that finished them. */
  readonly jobs: Counter<'outcome'>;
  /** Eviction/delete requests by result: evicted, deleted, not_found, blocked, failed, transient_error. */
  readonly evictions: Counter<'result'>;
  /** Evictions a PodDisruptionBudget refused (429) and that will be retried. */
  readonly blockedRetries: Counter;
  readonly takeovers: Counter;
  readonly bulkTakeovers: Counter;
  /** Jobs this replica is running now. */
  readonly running: Gauge;
  readonly duration: Histogram<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.jobs = new Counter({
      name: 'gateway_drain_jobs_total',
      help: 'Drain jobs finished, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.evictions = new Counter({
      name: 'gateway_drain_evictions_total',
      help: 'Pod eviction (or delete) requests sent by drains, by result',
      labelNames: ['result'],
      registers,
    });
    this.blockedRetries = new Counter({
      name: 'gateway_drain_blocked_retries_total',
      help: 'Evictions refused by a PodDisruptionBudget (HTTP 429) and retried',
      registers,
    });
    this.takeovers = new Counter({
      name: 'gateway_drain_takeovers_total',
      help: 'Drain jobs this replica took over after their runner stopped renewing its lease',
      registers,
    });
    this.bulkTakeovers = new Counter({
      name: 'gateway_bulk_drain_takeovers_total',
      help: 'Bulk drains this replica took over coordinating after their coordinator stopped renewing its lease',
      registers,
    });
    this.running = new Gauge({
      name: 'gateway_drain_running_jobs',
      help: 'Drain jobs running on this replica',
      registers,
    });
    this.duration = new Histogram({
      name: 'gateway_drain_duration_seconds',
      help: 'Wall time of finished drain jobs, from start to end, by outcome',
      labelNames: ['outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
  }
}
