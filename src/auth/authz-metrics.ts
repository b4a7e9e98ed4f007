import { Counter, type Registry } from 'prom-client';
import type { ResourceAttributes } from './authorizer.js';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;
const RESOURCES = ['nodes', 'pods', 'pods/eviction'] as const;

/** Authorization metrics; label values come from fixed sets (anything else is `other`). */
export class AuthzMetrics {
  readonly denials: Counter<'verb' | 'resource'>;
  readonly reviews: Counter<'cluster'>;

  constructor(registry: Registry) {
    this.denials = new Counter({
      name: 'gateway_authz_denials_total',
      help: 'Requests refused because the caller may not do what they need, by verb and resource',
      labelNames: ['verb', 'resource'],
      registers: [registry],
    });
    this.reviews = new Counter({
      name: 'gateway_authz_reviews_total',
      help: 'SubjectAccessReviews sent (decision cache misses), by cluster',
      labelNames: ['cluster'],
      registers: [registry],
    });
  }

  denied(a: ResourceAttributes): void {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    this.denials.inc({
      verb: (VERBS as readonly string[]).includes(a.verb) ? a.verb : 'other',
      resource: (RESOURCES as readonly string[]).includes(resource) ? resource : 'other',
    });
  }
}
