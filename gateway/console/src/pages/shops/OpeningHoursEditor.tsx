import { ActionIcon, Button, Chip, Fieldset, Group, Input, Stack, Text, TextInput } from '@mantine/core';
import { WEEKDAYS } from './opening-hours';
import type { OpeningHoursRule } from './shops-queries';
import { StoreTimeZone } from './StoreTimeZone';

/** A new rule's starting point: weekdays, office hours. */
const NEW_RULE: OpeningHoursRule = { days: [1, 2, 3, 4, 5], opens: '08:00', closes: '18:00' };

/**
 * The weekly hours as rules ("on these days, from … to …") in the store's time zone. Errors are
 * keyed like the API's (`opening_hours.0.closes`), so a 400 lands next to its field.
 */
export function OpeningHoursEditor({
  rules,
  onChange,
  errors,
  timeZone,
}: {
  rules: OpeningHoursRule[];
  onChange: (rules: OpeningHoursRule[]) => void;
  errors: Record<string, string>;
  timeZone: string | undefined;
}) {
  const change = (index: number, patch: Partial<OpeningHoursRule>) => onChange(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));

  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        Opening hours
      </Text>
      <StoreTimeZone zone={timeZone} />
      {rules.length === 0 && (
        <Text size="sm" c="dimmed">
          No hours: the shop is never open.
        </Text>
      )}
      {rules.map((rule, index) => (
        <Fieldset key={index} legend={`Hours ${index + 1}`} p="sm">
          <Stack gap="xs">
            <Input.Wrapper label="Days" error={errors[`opening_hours.${index}.days`]}>
              <Chip.Group multiple value={rule.days.map(String)} onChange={(days) => change(index, { days: days.map(Number).sort((a, b) => a - b) })}>
                <Group gap={6} mt={4}>
                  {WEEKDAYS.map((day) => (
                    <Chip key={day.value} value={String(day.value)} size="sm" aria-label={day.long}>
                      {day.short}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Input.Wrapper>
            <Group align="flex-start" wrap="wrap">
              <TextInput label="Opens" placeholder="07:00" value={rule.opens} onChange={(event) => change(index, { opens: event.currentTarget.value })} error={errors[`opening_hours.${index}.opens`]} w={140} />
              <TextInput
                label="Closes"
                placeholder="21:00"
                description="24:00 for midnight"
                value={rule.closes}
                onChange={(event) => change(index, { closes: event.currentTarget.value })}
                error={errors[`opening_hours.${index}.closes`]}
                w={200}
              />
              <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove hours ${index + 1}`} onClick={() => onChange(rules.filter((_, i) => i !== index))}>
                ×
              </ActionIcon>
            </Group>
          </Stack>
        </Fieldset>
      ))}
      {errors.opening_hours && (
        <Text size="sm" c="red">
          {errors.opening_hours}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" onClick={() => onChange([...rules, { ...NEW_RULE, days: [...NEW_RULE.days] }])} disabled={rules.length >= 28}>
          Add hours
        </Button>
      </Group>
    </Stack>
  );
}
