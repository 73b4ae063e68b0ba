/**
 * Money in the store API is an integer count of the currency's minor units plus an ISO 4217 code
 * (README "API conventions"): the console shows and takes amounts in the currency's own decimals
 * (2 for EUR, 0 for JPY, 3 for KWD) and converts exactly, with no floating-point step.
 */

/** The currency's decimals as Intl knows them; undefined when the code is not a currency Intl knows. */
export function currencyDigits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** "12.50" (or 12.5) EUR -> 1250; undefined when the amount has more decimals than the currency or is not a number. */
export function toMinorUnits(amount: string | number, digits: number): number | undefined {
  const text = String(amount).trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** 1250 minor units with 2 digits -> "12.50" (what a price field shows for editing). */
export function fromMinorUnits(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
