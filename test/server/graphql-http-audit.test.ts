import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/start-gateway.js';
import { useTransportTestGateway } from './transport-test-gateway.js';

describe('GraphQL over HTTP conformance (graphql-http audits against the live server)', () => {
  const env = useTransportTestGateway();
  let gateway: TestGateway;
  beforeAll(() => {
    gateway = env.gateway;
  });

  it('passes every MUST audit', async () => {
    const audits = serverAudits({ url: () => gateway.graphqlUrl });
    const tally = { MUST: { ok: 0, fail: 0 }, SHOULD: { ok: 0, fail: 0 }, MAY: { ok: 0, fail: 0 } };
    const mustFailures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      const level = audit.name.split(' ', 1)[0] as keyof typeof tally;
      const bucket = tally[level] ?? tally.MAY;
      if (result.status === 'ok') bucket.ok++;
      else {
        bucket.fail++;
        if (level === 'MUST') mustFailures.push(`${audit.name}: ${result.reason}`);
      }
    }
    console.log(
      `graphql-http audits: MUST ${tally.MUST.ok}/${tally.MUST.ok + tally.MUST.fail}, ` +
        `SHOULD ${tally.SHOULD.ok}/${tally.SHOULD.ok + tally.SHOULD.fail}, MAY ${tally.MAY.ok}/${tally.MAY.ok + tally.MAY.fail}`,
    );
    expect(mustFailures).toEqual([]);
    expect(tally.MUST.ok).toBeGreaterThan(10);
  });
});
