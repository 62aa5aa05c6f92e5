import { TrackedObligation } from '../lifecycle/tracking';

/** What to do next for an obligation, in the words an email or a page shows a privacy officer. */
export function nextStep(o: Pick<TrackedObligation, 'audience' | 'form' | 'track' | 'recipient'>): string {
  switch (o.audience) {
    case 'individuals':
      return 'Mail the notice letters first-class (or email those who agreed), then record the date, method and count as sent.';
    case 'substitute_notice':
      return o.form === 'alternative'
        ? 'Reach the individuals without good addresses by another written notice or by telephone, then record it as sent.'
        : 'Post the notice on the home page for 90 days (or in major print or broadcast media) and open a toll-free line for 90 days, then record it as sent.';
    case 'media':
      return `Send a press release to ${o.recipient.replace(/ \(usually a press release\)$/, '').replace(/^Prominent/, 'prominent')}, then record it as sent.`;
    case 'hhs':
      return o.track === 'annual_log'
        ? 'File this breach on the HHS OCR breach portal (fewer than 500 individuals) before the deadline, then record the filing.'
        : 'File the breach report on the HHS OCR breach portal, then record the filing and its transaction number.';
    case 'covered_entity':
      return 'Notify the covered entity in writing, identifying each individual as far as possible, then record it as sent.';
    case 'regulator':
      return `Send the notice to ${o.recipient}, then record it as sent.`;
    case 'consumer_reporting_agencies':
      return 'Tell Equifax, Experian and TransUnion the timing, distribution and content of the notice, then record it as sent.';
    case 'proof_of_loss':
      return `Send ${o.recipient.replace(/ \(proof of loss\)$/, '')} the sworn proof of loss with the ledger and its invoices (the claim package), then record it as filed.`;
    case 'insurer':
      return `Give written notice to ${o.recipient} at the claims address in the policy (a hotline call may not count), then record it.`;
  }
}

/** A short name for an obligation, for a subject line. */
export function obligationTitle(o: Pick<TrackedObligation, 'audience' | 'regime' | 'jurisdiction' | 'track'>): string {
  const state = o.jurisdiction ? ` (${o.jurisdiction})` : '';
  switch (o.audience) {
    case 'individuals': return o.regime === 'HIPAA' ? 'Notice to individuals' : `State notice to residents${state}`;
    case 'substitute_notice': return 'Substitute notice';
    case 'media': return `Media notice${state}`;
    case 'hhs': return o.track === 'annual_log' ? 'HHS report (annual log)' : 'HHS breach report';
    case 'covered_entity': return `Notice to the covered entity${o.regime === 'HIPAA' ? '' : state}`;
    case 'regulator': return `Regulator notice${state}`;
    case 'consumer_reporting_agencies': return `Consumer reporting agencies${state}`;
    case 'insurer': return 'Notice to the insurer';
    case 'proof_of_loss': return 'Proof of loss to the insurer';
  }
}
