import { describe, expect, it } from 'vitest';
import { bulkDrainIdArg, drainJobIdArg, globalId } from '../../src/resolvers/relay-ids.js';
import { graphqlErrorOf } from '../support/graphql-error-of.js';

const UUID = '3f8e6c2a-1b4d-4e9f-9a7c-5d2e8b1f0c6a';

describe('job id arguments', () => {
  it('drain job arguments take a DrainJob or DrainJobSummary id, or the UUID', () => {
    expect(drainJobIdArg('id', globalId('DrainJob', [UUID]))).toBe(UUID);
    expect(drainJobIdArg('id', globalId('DrainJobSummary', [UUID]))).toBe(UUID);
    expect(drainJobIdArg('id', UUID)).toBe(UUID);
  });

  it('bulk drain arguments take a BulkDrainJob or BulkDrainJobSummary id, or the UUID', () => {
    expect(bulkDrainIdArg('id', globalId('BulkDrainJob', [UUID]))).toBe(UUID);
    expect(bulkDrainIdArg('id', globalId('BulkDrainJobSummary', [UUID]))).toBe(UUID);
    expect(bulkDrainIdArg('id', UUID)).toBe(UUID);
  });

  it('the four job types have four distinct ids for one UUID', () => {
    const ids = (['DrainJob', 'DrainJobSummary', 'BulkDrainJob', 'BulkDrainJobSummary'] as const).map((t) =>
      globalId(t, [UUID]),
    );
    expect(new Set(ids).size).toBe(4);
  });

  it('refuses an id of the other kind of job, or of a KubeNode, naming both types', () => {
    const drainAsBulk = graphqlErrorOf(() => bulkDrainIdArg('id', globalId('DrainJob', [UUID])));
    expect(drainAsBulk.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'id',
      rule: 'GlobalId',
    });
    expect(drainAsBulk.message).toMatch(/DrainJob, not of a BulkDrainJob or BulkDrainJobSummary/);
    const bulkAsDrain = graphqlErrorOf(() => drainJobIdArg('id', globalId('BulkDrainJobSummary', [UUID])));
    expect(bulkAsDrain.message).toMatch(/BulkDrainJobSummary, not of a DrainJob or DrainJobSummary/);
    const node = graphqlErrorOf(() => bulkDrainIdArg('id', globalId('KubeNode', ['sim', 'node-0001'])));
    expect(node.message).toMatch(/KubeNode, not of a BulkDrainJob/);
  });

  it('refuses malformed ids and bulk ids whose key is no UUID', () => {
    for (const id of [
      '',
      'not-a-uuid',
      `${UUID}x`,
      globalId('BulkDrainJob', ['..']),
      globalId('BulkDrainJob', [UUID, UUID]),
    ]) {
      expect(graphqlErrorOf(() => bulkDrainIdArg('id', id)).extensions.code, id).toBe('BAD_USER_INPUT');
    }
  });
});
