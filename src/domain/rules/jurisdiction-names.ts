import { Jurisdiction, JURISDICTIONS } from './facts';

const NAMES: Record<Jurisdiction, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho',
  IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana',
  ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada',
  NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina',
  ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas',
  UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia',
  WI: 'Wisconsin', WY: 'Wyoming', DC: 'the District of Columbia', PR: 'Puerto Rico', GU: 'Guam',
  VI: 'the U.S. Virgin Islands', AS: 'American Samoa', MP: 'the Northern Mariana Islands',
};

export function jurisdictionName(code: Jurisdiction): string {
  return NAMES[code];
}

/** Each code's place in sorted (code-unit) order. */
const RANK = new Map<string, number>([...JURISDICTIONS].sort().map((code, i) => [code, i]));

/** The sorted codes of a byJurisdiction object. Placing each known code by its rank costs a
 *  fraction of a general string sort (which, for 56 codes, cost more than the plan's HIPAA part);
 *  anything else (only unvalidated input has it) falls back to that sort. The HIPAA media notices
 *  and the state overlay both ask for the same object, so the last answer per object is kept
 *  while its keys are the same ones in the same order. */
const sortedKeys = new WeakMap<object, { keys: string[]; codes: Jurisdiction[] }>();

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sortedJurisdictions(by: Partial<Record<Jurisdiction, number>>): Jurisdiction[] {
  const keys = Object.keys(by);
  const known = sortedKeys.get(by);
  if (known && sameKeys(known.keys, keys)) return known.codes;
  const slots: (string | undefined)[] = new Array(RANK.size);
  let unknown = false;
  for (const k of keys) {
    const r = RANK.get(k);
    if (r === undefined) unknown = true;
    else slots[r] = k;
  }
  let codes: Jurisdiction[];
  if (unknown) codes = ([...keys] as Jurisdiction[]).sort();
  else {
    codes = [];
    for (const s of slots) if (s !== undefined) codes.push(s as Jurisdiction);
  }
  sortedKeys.set(by, { keys, codes });
  return codes;
}
