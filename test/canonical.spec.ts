import { canonicalJson, sha256 } from '../src/audit/canonical';

/**
 * Every hash in the audit chains was made over canonicalJson's text: the text of a value must
 * never change, whatever the implementation. These are the texts it gave before it was rewritten
 * for speed (issue 16), written out by hand.
 */
describe('canonicalJson', () => {
  it('sorts keys by code unit at every depth, leaves out undefined values, and says null for what JSON cannot', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [1, { z: 2, y: null }], '': 'e', é: 1, Z: 2, 10: 1, 9: 2 }))
      .toBe('{"":"e","10":1,"9":2,"Z":2,"b":1,"c":[1,{"y":null,"z":2}],"é":1}');
    expect(canonicalJson([undefined, () => 1, 'x', -0, 1.5e-7])).toBe('[null,null,"x",0,1.5e-7]');
    expect(canonicalJson({ f: () => 1, n: NaN, s: 'a"\\\n\u2028' })).toBe('{"f":null,"n":null,"s":"a\\"\\\\\\n\u2028"}');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined })).toBe('{}');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    // A Date is an object without own keys (it was never stringified through toJSON).
    expect(canonicalJson({ d: new Date(0) })).toBe('{"d":{}}');
  });

  it('keeps an own "__proto__" key a parsed payload may carry', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"b":1}');
  });

  it('gives the hash an existing chain link was made with', () => {
    const entry = { seq: 1, incidentId: 'i-1', incidentVersion: 1, type: 'incident.reported', payload: { summary: 'sealed:abc' }, changes: null, fromPhase: null, toPhase: 'reported', actor: 'u', at: '2026-01-01T00:00:00.000Z', stateHash: 's', prevHash: 'p' };
    expect(sha256(canonicalJson(entry))).toBe(sha256('{"actor":"u","at":"2026-01-01T00:00:00.000Z","changes":null,"fromPhase":null,"incidentId":"i-1","incidentVersion":1,"payload":{"summary":"sealed:abc"},"prevHash":"p","seq":1,"stateHash":"s","toPhase":"reported","type":"incident.reported"}'));
  });
});
