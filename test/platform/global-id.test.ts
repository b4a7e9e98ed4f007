import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, GLOBAL_ID_MAX_LENGTH } from '../../src/platform/global-id.js';

describe('global ids', () => {
  it('round-trips any key, including parts with / : % and non-ASCII', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        (key) => {
          expect(decodeGlobalId(encodeGlobalId('KubeNode', key))).toEqual({ typename: 'KubeNode', key });
        },
      ),
    );
    expect(decodeGlobalId(encodeGlobalId('KubeNode', ['arn:aws:eks:eu/prod', 'node-1']))).toEqual({
      typename: 'KubeNode',
      key: ['arn:aws:eks:eu/prod', 'node-1'],
    });
  });

  it('has one spelling per id: padding, standard base64 and needless escapes are refused', () => {
    const id = encodeGlobalId('Cluster', ['a']);
    expect(typeof decodeGlobalId(`${id}=`)).toBe('string');
    expect(typeof decodeGlobalId(Buffer.from('Cluster:%61').toString('base64url'))).toBe('string');
    expect(typeof decodeGlobalId(Buffer.from('Cluster:a?').toString('base64'))).toBe('string');
  });

  it('refuses text that is not an id, whatever it is', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.base64String({ maxLength: 80 })), (text) => {
        const decoded = decodeGlobalId(text);
        if (typeof decoded !== 'string') expect(encodeGlobalId(decoded.typename, decoded.key)).toBe(text);
      }),
    );
    for (const bad of [
      '',
      'x'.repeat(GLOBAL_ID_MAX_LENGTH + 1),
      Buffer.from('nocolon').toString('base64url'),
    ]) {
      expect(typeof decodeGlobalId(bad)).toBe('string');
    }
    expect(typeof decodeGlobalId(Buffer.from('lower:a').toString('base64url'))).toBe('string');
    expect(typeof decodeGlobalId(Buffer.from('Pod:%E0%A4%A').toString('base64url'))).toBe('string');
  });
});
