import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from './facts';
import { planNotification } from './plan';
import { NotificationPlan } from './plan.types';
import { DESTRUCTION_METHODS, ENCRYPTION_STANDARDS, namedMethod, namedStandard } from './safe-harbor';

/** Contract, "Safe harbor is a named process, never a phrase" (45 CFR 164.402; 74 FR 42740). */

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const encrypted = (extra: Record<string, unknown>) => plan(facts({ safeguards: { encryption: { applied: true, keyCompromised: false, ...extra } } }));
const destroyed = (extra: Record<string, unknown>) => plan(facts({ safeguards: { destruction: { applied: true, ...extra } } }));

describe('the closed lists, matched case- and space-insensitively', () => {
  it.each([
    ['NIST SP 800-111', 'NIST SP 800-111'],
    ['nist sp 800-111', 'NIST SP 800-111'],
    ['  NIST  SP800-52 ', 'NIST SP 800-52'],
    ['fips 140-3', 'FIPS 140-3'],
  ])('%j names %s', (text, standard) => {
    expect(namedStandard(text)).toBe(standard);
  });

  it.each(['password-protected Excel file', 'AES-256, not FIPS 140-2 validated', 'FIPS 140-2 validated AES-256, NIST SP 800-111', 'BitLocker', 'NIST SP 800-11', ''])('%j names no process', (text) => {
    expect(namedStandard(text)).toBeNull();
  });

  it.each([['Shredded', 'shredded'], ['nist sp 800-88 PURGE', 'NIST SP 800-88 purge'], ['NIST SP 800-88destroy', 'NIST SP 800-88 destroy']])('%j names %s', (text, method) => {
    expect(namedMethod(text)).toBe(method);
  });

  it('every listed standard and method secures, written as the contract writes it', () => {
    for (const standard of ENCRYPTION_STANDARDS) expect(encrypted({ standard }).determination).toBe('safe_harbor');
    for (const method of DESTRUCTION_METHODS) expect(destroyed({ method }).determination).toBe('safe_harbor');
  });
});

describe('free text never grants safe harbor', () => {
  it('"password-protected Excel file": not secured, a breach; the reason says why, verify', () => {
    const p = encrypted({ standard: 'password-protected Excel file' });
    expect(p).toMatchObject({ determination: 'breach', notificationRequired: true, verify: true });
    expect(p.determinationReason.why).toContain('"password-protected Excel file" is not an encryption process named by the HHS guidance');
    expect(p.determinationReason.why).toContain('NIST SP 800-111');
    expect(p.determinationReason.verify).toBe(true);
    // The notice clocks run: 2026-03-02 + 60 days = 2026-05-01 (45 CFR 164.404(b)).
    expect(p.obligations.find((o) => o.key === 'HIPAA/individuals')?.dueOn).toBe('2026-05-01');
  });

  it('"AES-256, not FIPS 140-2 validated": the "not" is not ignored', () => {
    const p = encrypted({ standard: 'AES-256, not FIPS 140-2 validated' });
    expect(p.determination).toBe('breach');
    expect(p.determinationReason.why).toContain('"AES-256, not FIPS 140-2 validated" is not an encryption process');
  });

  it('"placed in recycling bin": not a destruction method, in the words of the issue', () => {
    const p = destroyed({ method: 'placed in recycling bin' });
    expect(p.determination).toBe('breach');
    expect(p.determinationReason).toMatchObject({ verify: true });
    expect(p.determinationReason.why).toContain("\"placed in recycling bin\" is not a destruction method the HHS guidance accepts: paper must be shredded, pulped, pulverized or incinerated so it cannot be read or reconstructed; electronic media cleared, purged or destroyed per NIST SP 800-88");
  });

  it('"files deleted (moved to Recycle Bin)": a breach', () => {
    expect(destroyed({ method: 'files deleted (moved to Recycle Bin)' }).determination).toBe('breach');
  });

  it('destruction applied with no method: not secured, say what to record', () => {
    const p = destroyed({});
    expect(p.determination).toBe('breach');
    expect(p.determinationReason.why).toContain('no destruction method is recorded');
    expect(p.determinationReason.verify).toBe(true);
  });

  it('redaction never qualifies, whatever else the text says', () => {
    const p = destroyed({ method: 'redacted, then shredded' });
    expect(p.determination).toBe('breach');
    expect(p.determinationReason.why).toMatch(/redaction is expressly excluded/);
  });

  it('data in use is never secured, even with a named standard', () => {
    const p = encrypted({ standard: 'FIPS 140-2', dataState: 'in_use' });
    expect(p.determination).toBe('breach');
    expect(p.determinationReason.why).toMatch(/data was in use/);
  });

  it('a standard for data in motion does not secure data at rest', () => {
    const p = encrypted({ standard: 'NIST SP 800-52', dataState: 'at_rest' });
    expect(p.determination).toBe('breach');
    expect(p.determinationReason).toMatchObject({ verify: true });
    expect(encrypted({ standard: 'NIST SP 800-52', dataState: 'in_motion' }).determination).toBe('safe_harbor');
    expect(encrypted({ standard: 'NIST SP 800-111', dataState: 'at_rest' }).determination).toBe('safe_harbor');
  });

  it('a failed safeguard goes on to the exceptions and the assessment, and says so there too', () => {
    const p = plan(facts({ safeguards: { destruction: { applied: true, method: 'placed in recycling bin' } }, exception: 'unable_to_retain' }));
    expect(p.determination).toBe('exception');
    expect(p.determinationReason.why).toMatch(/^Destruction does not give safe harbor here/);
    expect(p.determinationReason.citation).toContain('164.402(1)(iii)');
  });

  it('one safeguard that secures is enough', () => {
    const p = plan(facts({ safeguards: { encryption: { applied: true, keyCompromised: false, standard: 'BitLocker' }, destruction: { applied: true, method: 'incinerated' } } }));
    expect(p.determination).toBe('safe_harbor');
  });

  it('the encrypted-laptop example stays safe harbor, without a verify flag', () => {
    const p = encrypted({ standard: 'NIST SP 800-111' });
    expect(p).toMatchObject({ determination: 'safe_harbor', notificationRequired: false, obligations: [] });
    expect(p.determinationReason.verify).toBe(false);
  });
});
