import { describe, expect, it } from 'vitest';
import { makeFilters } from '../../src/drain/drain-filters.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import { planDrain } from '../../src/drain/drain-plan.js';
import { pod } from './fake-drain-api.js';

const filters = (options = {}) =>
  makeFilters({ options: { ...DEFAULT_DRAIN_OPTIONS, ...options }, daemonSets: new Map(), now: Date.now() });

describe('planDrain', () => {
  it('lists the pods of each error once per reason, naming how to override', () => {
    const pods = [
      pod('web-1'),
      pod('cache-1', { emptyDir: true, namespace: 'shop' }),
      pod('bare-1', { owner: 'none' }),
      pod('cache-2', { emptyDir: true, namespace: 'shop' }),
    ];
    const plan = planDrain(pods, filters());
    expect(plan.errors).toEqual([
      'cannot delete Pods with local storage (use deleteEmptyDirData: true to override): shop/cache-1, shop/cache-2',
      'cannot delete Pods that declare no controller (use force: true to override): default/bare-1',
    ]);
    expect(plan.toEvict.map((p) => p.metadata.name)).toEqual(['web-1']);
  });

  it('groups warnings the same way and evicts the warned pods', () => {
    const pods = [pod('bare-1', { owner: 'none' }), pod('bare-2', { owner: 'none' }), pod('web')];
    const plan = planDrain(pods, filters({ force: true }));
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual([
      'deleting Pods that declare no controller: default/bare-1, default/bare-2',
    ]);
    expect(plan.toEvict.map((p) => p.metadata.name)).toEqual(['bare-1', 'bare-2', 'web']);
  });

  it('a node without pods plans nothing', () => {
    expect(planDrain([], filters())).toEqual({ pods: [], toEvict: [], warnings: [], errors: [] });
  });
});
