import { Text } from '@mantine/core';
import { wallClockNow } from './opening-hours';

/**
 * The zone opening hours are read in: the store's STORE_TIMEZONE, which every shop answer names
 * (`time_zone`), not the operator's browser zone. The wall clock there helps to read "open now".
 */
export function StoreTimeZone({ zone }: { zone: string | undefined }) {
  const now = zone ? wallClockNow(zone) : '';
  return (
    <Text size="sm" c="dimmed" data-testid="store-time-zone">
      {zone ? (
        <>
          Opening hours are in the store&apos;s time zone, <strong>{zone}</strong>
          {now && ` (now ${now} there)`}.
        </>
      ) : (
        "Opening hours are in the store's time zone (STORE_TIMEZONE)."
      )}
    </Text>
  );
}
