/** Dates and times as an operator reads them: the browser's locale and zone. */
export const formatDateTime = (value: string | number | Date | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : new Date(value).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export const formatTime = (value: string | number | Date | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : new Date(value).toLocaleTimeString();

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Integer minor units as currency ("12.50 EUR" in the operator's locale). */
export function formatMoney(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
}
