import { describe, expect, it } from 'vitest';
import { PodCountTally } from '../../src/pods/pod-count-lister.js';
import { POD_TABLE_COLUMNS } from './fake-pod-api.js';

const columns = POD_TABLE_COLUMNS.map((name) => ({ name, type: 'string' }));
const row = (name: string, node: string) => ({
  cells: [name, '1/1', 'Running', 0, '1d', '10.0.0.1', node, '<none>', '<none>'],
});

describe('PodCountTally', () => {
  it('counts Table rows by the Node column', () => {
    const tally = new PodCountTally();
    tally.onMember('kind', 'Table');
    tally.onMember('columnDefinitions', columns);
    for (const [p, n] of [
      ['a', 'n1'],
      ['b', 'n1'],
      ['c', 'n2'],
      ['d', '<none>'],
    ])
      tally.onElement('rows', row(p!, n!));
    tally.finish();
    expect(tally.format).toBe('table');
    expect(Object.fromEntries(tally.counts)).toEqual({ n1: 2, n2: 1 });
    expect(tally.pods).toBe(4);
  });

  it('counts rows that arrive before the column definitions', () => {
    const tally = new PodCountTally();
    tally.onElement('rows', row('a', 'n1'));
    tally.onMember('columnDefinitions', columns);
    tally.onElement('rows', row('b', 'n1'));
    tally.finish();
    expect(tally.counts.get('n1')).toBe(2);
  });

  it('fails when no page defines the columns', () => {
    const tally = new PodCountTally();
    tally.onElement('rows', row('a', 'n1'));
    expect(() => tally.finish()).toThrow(/column definitions/);
  });

  it('fails on a Table without a Node column', () => {
    const tally = new PodCountTally();
    expect(() => tally.onMember('columnDefinitions', [{ name: 'Name' }])).toThrow(/no Node column/);
  });

  it('counts rows given as bytes by their Node cell, rows it cannot read by parsing them', () => {
    const tally = new PodCountTally();
    const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
    tally.onElementBytes('rows', bytes(row('early', 'n1'))); // before the columns: kept, counted later
    tally.onMember('columnDefinitions', columns);
    tally.onElementBytes('rows', bytes(row('a', 'n1')));
    tally.onElementBytes('rows', bytes(row('b', '<none>')));
    tally.onElementBytes('rows', Buffer.from('{"cells":["c","","","","","","n\\u0032","",""]}')); // escaped: parsed
    tally.onElementBytes('rows', Buffer.from('{"cells":["d","","","","","",7]}')); // no name: a pod, no node
    tally.finish();
    expect(Object.fromEntries(tally.counts)).toEqual({ n1: 2, n2: 1 });
    expect(tally.pods).toBe(5);
  });

  it('fails on a malformed row given as bytes', () => {
    const tally = new PodCountTally();
    tally.onMember('columnDefinitions', columns);
    expect(() => tally.onElementBytes('rows', Buffer.from('{"cells":["a",'))).toThrow(SyntaxError);
  });

  it('parses PodList items given as bytes', () => {
    const tally = new PodCountTally();
    tally.onMember('kind', 'PodList');
    tally.onElementBytes('items', Buffer.from('{"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}'));
    tally.onElementBytes('items', Buffer.from('{"spec":{"nodeName":"n1"},"status":{"phase":"Failed"}}'));
    expect(Object.fromEntries(tally.counts)).toEqual({ n1: 1 });
  });

  it('counts a PodList (no Table support) by spec.nodeName, skipping terminal pods', () => {
    const tally = new PodCountTally();
    tally.onMember('kind', 'PodList');
    const pod = (node: string | undefined, phase: string) => ({
      metadata: {},
      spec: { nodeName: node },
      status: { phase },
    });
    for (const [node, phase] of [
      ['n1', 'Running'],
      ['n1', 'Pending'],
      ['n1', 'Succeeded'],
      ['n2', 'Failed'],
      ['n2', 'Unknown'],
      [undefined, 'Pending'],
    ] as const) {
      tally.onElement('items', pod(node, phase));
    }
    tally.finish();
    expect(tally.format).toBe('object');
    expect(Object.fromEntries(tally.counts)).toEqual({ n1: 2, n2: 1 });
    expect(tally.pods).toBe(4);
  });
});
