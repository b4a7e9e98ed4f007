import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JitAdmission } from '../../src/server/jit-admission.js';

describe('JitAdmission', () => {
  it('compiles a document on its second execution, and keeps it compiled', () => {
    const admission = new JitAdmission(10);
    const document = parse('{ nodes { totalCount } }');
    expect(admission.admits(document)).toBe(false);
    expect(admission.admits(document)).toBe(true);
    expect(admission.admits(document)).toBe(true);
    expect(admission.count).toBe(1);
  });

  it('never compiles more than its maximum of distinct documents, however many a client sends', () => {
    const admission = new JitAdmission(3);
    const documents = Array.from({ length: 50 }, (_, i) => parse(`{ a${i}: nodes { totalCount } }`));
    for (const document of documents) {
      admission.admits(document);
      admission.admits(document);
    }
    expect(admission.count).toBe(3);
    expect(documents.filter((d) => admission.admits(d))).toEqual(documents.slice(0, 3));
  });
});
