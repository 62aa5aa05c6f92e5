/** One CSV line (RFC 4180): fields quoted when they hold a comma, quote or line break. */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map((f) => {
    const s = f === null || f === undefined ? '' : String(f);
    // A leading = + - @ would run as a formula in a spreadsheet: neutralise it.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  }).join(',')}\r\n`;
}
