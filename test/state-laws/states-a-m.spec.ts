import { JurisdictionCase, runCases } from './jurisdiction-cases';

// Discovered Monday 2026-03-02; HIPAA's notice to individuals and HHS report: Friday 2026-05-01.
// A clock from the determination counts from discovery when no determination date is given.
const CASES: JurisdictionCase[] = [
  { code: 'AL', residents: 1500, hipaaExempt: true, below: [1000, 'regulator/attorney-general'], vendor: ['2026-03-12', '8-38-8'], owes: [
    ['regulator/attorney-general', '2026-04-16', '8-38-6'], // 03-02 + 45
    ['consumer_reporting_agencies', '2026-05-01', '8-38-7'], // with the notice to residents
  ] },
  { code: 'AK', residents: 1500, below: [1000, 'consumer_reporting_agencies'], owes: [
    ['consumer_reporting_agencies', '2026-05-01', '45.48.040'],
  ] },
  { code: 'AZ', residents: 1500, hipaaExempt: true, owes: [] }, // 18-552: does not apply to HIPAA entities
  { code: 'AR', residents: 1500, hipaaExempt: true, below: [1000, 'regulator/attorney-general'], owes: [
    ['regulator/attorney-general', '2026-04-16', '4-110-105(d)'], // 45 days, sooner than the residents' 05-01
    ['consumer_reporting_agencies', '2026-05-01', '4-110-105(b)'],
  ] },
  { code: 'CA', residents: 1500, below: [500, 'regulator/attorney-general'], vendor: ['2026-03-02', '1798.82(b)'], owes: [
    ['individuals', '2026-04-01', '1798.82(a)'], // 03-02 + 30 (SB 446)
    ['regulator/attorney-general', '2026-04-16', '1798.82(f)'], // 04-01 + 15
  ] },
  { code: 'CO', residents: 1500, below: [499, 'regulator/attorney-general'], owes: [
    ['individuals', '2026-04-01', '6-1-716(2)'], // 03-02 + 30
    ['regulator/attorney-general', '2026-04-01', '6-1-716(2)(f)'],
    ['consumer_reporting_agencies', '2026-04-01', '6-1-716(2)(d)'], // with the notice to residents
  ] },
  { code: 'CT', residents: 1500, hipaaExempt: true, vendor: ['2026-03-02', '36a-701b(c)'], owes: [
    ['regulator/attorney-general', '2026-05-01', '36a-701b(b)(2)(A)'],
    ['individuals/credit-monitoring', '2026-05-01', '36a-701b(b)(2)(B)'], // 24 months, SSNs involved
  ] },
  { code: 'DE', residents: 1500, hipaaExempt: true, owes: [
    ['individuals/credit-monitoring', '2026-05-01', '12B-102(e)'], // 12 months; kept under the deemer, verify
  ] },
  { code: 'DC', residents: 1500, hipaaExempt: true, below: [49, 'regulator/attorney-general'], owes: [
    ['regulator/attorney-general', '2026-05-01', '28-3852(b-1)'],
    ['consumer_reporting_agencies', '2026-05-01', '28-3852(c)'],
    ['individuals/credit-monitoring', '2026-05-01', '28-3852(a)(2)'], // 18 months
  ] },
  { code: 'FL', residents: 1500, below: [499, 'regulator/department-of-legal-affairs'], vendor: ['2026-03-12', '501.171(6)'], owes: [
    ['individuals', '2026-04-01', '501.171(4)'], // 03-02 + 30
    ['regulator/department-of-legal-affairs', '2026-04-01', '501.171(3)'],
    ['consumer_reporting_agencies', '2026-04-01', '501.171(5)'],
  ] },
  { code: 'GA', residents: 10001, below: [10000, 'consumer_reporting_agencies'], vendor: ['2026-03-03', '10-1-912(b)'], owes: [
    ['consumer_reporting_agencies', '2026-05-01', '10-1-912(d)'], // vendor: within 24 hours
  ] },
  { code: 'HI', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'ID', residents: 1500, owes: [] }, // without unreasonable delay: HIPAA's notice meets it
  { code: 'IL', residents: 1500, hipaaExempt: true, owes: [
    ['regulator/hhs-copy', '2026-05-08', '530/50'], // HHS 05-01 (Fri) + 5 business days: May 4..8
  ] },
  { code: 'IN', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'IA', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'KS', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'KY', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'LA', residents: 1500, owes: [
    ['regulator/attorney-general', '2026-05-11', '16:III.701'], // 05-01 + 10
  ] },
  { code: 'ME', residents: 1500, below: [1000, 'consumer_reporting_agencies'], owes: [
    ['individuals', '2026-04-01', '1348(1)'], // 03-02 + 30
    ['regulator/attorney-general', '2026-04-01', '1348(5)'],
    ['consumer_reporting_agencies', '2026-04-01', '1348(4)'],
  ] },
  { code: 'MD', residents: 1500, hipaaExempt: true, vendor: ['2026-03-12', '14-3504(d)'], owes: [] },
  { code: 'MA', residents: 1500, hipaaExempt: true, owes: [
    ['regulator/attorney-general', '2026-05-01', '93H, 3(b)'],
    ['regulator/ocabr', '2026-05-01', '93H, 3(b)'],
    ['consumer_reporting_agencies', '2026-05-01', '93H, 3(b)'],
    ['individuals/credit-monitoring', '2026-05-01', '93H, 3A(a)'], // 18 months
  ] },
  { code: 'MI', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'MN', residents: 1500, below: [500, 'consumer_reporting_agencies'], vendor: ['2026-03-02', '325E.61, subd. 1(b)'], owes: [
    ['consumer_reporting_agencies', '2026-05-03', '325E.61, subd. 2'], // within 48 hours of 05-01
  ] },
  { code: 'MS', residents: 1500, hipaaExempt: true, owes: [] },
  { code: 'MO', residents: 1500, hipaaExempt: true, below: [1000, 'regulator/attorney-general'], vendor: ['2026-03-02', '407.1500.2(2)'], owes: [
    ['regulator/attorney-general', '2026-05-01', '407.1500.2(8)'], // kept under the deemer, verify
  ] },
  { code: 'MT', residents: 1500, vendor: ['2026-03-02', '30-14-1704(2)'], owes: [
    ['regulator/office-of-consumer-protection', '2026-05-01', '30-14-1704(8)'],
    ['consumer_reporting_agencies', '2026-05-01', '30-14-1704(7)'],
  ] },
];

runCases(CASES);
