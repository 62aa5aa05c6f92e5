import { Cents } from '../insurance/coverage';
import { mailingCost } from '../insurance/claim-ledger';
import { LocalDate } from '../rules/calendar';
import { formatCount } from '../rules/format';
import { Checker } from '../validation';

/** What a mailing costs the practice (settings), in dollars as given: the print-and-mail house's rates. */
export interface MailingRates {
  postagePerLetter: number;
  printPerPage: number;
  /** Who prints and mails (the ledger's vendor); default "Postage and printing". */
  vendor?: string;
}

const MAX_RATE_DOLLARS = 100;

function rate(c: Checker, v: unknown, path: string): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_RATE_DOLLARS) return c.fail(path, `must be an amount in dollars from 0 to ${MAX_RATE_DOLLARS}, e.g. 0.73; got ${JSON.stringify(v)}`);
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) return c.fail(path, 'has more than two decimals (cents)');
  return v;
}

/** The settings' `mailingRates`, in dollars (`{ postagePerLetter: 0.73, printPerPage: 0.1, vendor }`); null clears them. */
export function checkMailingRates(c: Checker, v: unknown, path: string): MailingRates | null | undefined {
  if (v === null) return null;
  const o = c.object(v, path, ['postagePerLetter', 'printPerPage', 'vendor']);
  if (!o) return undefined;
  const postagePerLetter = rate(c, o.postagePerLetter, `${path}.postagePerLetter`);
  const printPerPage = rate(c, o.printPerPage, `${path}.printPerPage`);
  const vendor = o.vendor === undefined ? undefined : c.string(o.vendor, `${path}.vendor`);
  if (vendor !== undefined && vendor.length > 200) c.fail(`${path}.vendor`, 'is too long (200 characters at most)');
  if (postagePerLetter === undefined || printPerPage === undefined) return undefined;
  return { postagePerLetter, printPerPage, ...(vendor ? { vendor } : {}) };
}

/**
 * The ledger entry a mailed batch adds by itself: its postage and printing at the practice's rates,
 * under notification and mailing, linked to the batch (so it is entered once).
 */
export function mailingCostEvent(batch: { id: string; letters: number; pages: number }, rates: MailingRates, sentOn: LocalDate) {
  const cents: Cents = mailingCost(batch.letters, batch.pages, { postagePerLetter: Math.round(rates.postagePerLetter * 100), printPerPage: Math.round(rates.printPerPage * 100) });
  return {
    type: 'insurance.costRecorded' as const,
    on: sentOn,
    vendor: rates.vendor ?? 'Postage and printing',
    amount: cents / 100,
    part: 'notification' as const,
    description: `Mailing of letter batch ${batch.id}: ${formatCount(batch.letters)} letters at $${rates.postagePerLetter.toFixed(2)} postage, ${formatCount(batch.pages)} pages at $${rates.printPerPage.toFixed(2)} printing`,
    batchId: batch.id,
  };
}
