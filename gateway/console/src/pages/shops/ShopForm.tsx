import { Alert, Button, Grid, Group, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { storeApi } from '../../api/clients/store';
import { describeError, fieldErrorsOf } from '../../api/errors';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { notifySuccess } from '../../components/notify';
import { hoursProblems } from './opening-hours';
import { OpeningHoursEditor } from './OpeningHoursEditor';
import { type OpeningHoursRule, type Shop, SHOPS_KEY } from './shops-queries';

interface ShopFields {
  station: string;
  name: string;
  location: string;
  active: boolean;
  opening_hours: OpeningHoursRule[];
}

const fieldsOf = (shop?: Shop): ShopFields => ({
  station: shop?.station ?? '',
  name: shop?.name ?? '',
  location: shop?.location ?? '',
  active: shop?.active ?? true,
  opening_hours: shop?.opening_hours.map((rule) => ({ ...rule, days: [...rule.days] })) ?? [{ days: [1, 2, 3, 4, 5], opens: '07:00', closes: '21:00' }],
});

/** Creates a shop (no `shop`) or edits one: its details, whether it is active, and its opening hours. */
export function ShopForm({ shop, timeZone, onSaved }: { shop?: Shop; timeZone: string | undefined; onSaved?: (shop: Shop) => void }) {
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<ShopFields>(() => fieldsOf(shop));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const set = <K extends keyof ShopFields>(key: K, value: ShopFields[K]) => setFields((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: (body: ShopFields) =>
      shop
        ? unwrap(storeApi.PATCH('/admin/shops/{id}', { params: { path: { id: shop.id } }, body }))
        : unwrap(storeApi.POST('/admin/shops', { body })),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: SHOPS_KEY });
      notifySuccess(shop ? `Shop "${saved.name}" saved` : `Shop "${saved.name}" created`);
      onSaved?.(saved);
    },
    onError: (error) => {
      const fieldErrors = fieldErrorsOf(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length > 0 ? null : error);
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = hoursProblems(fields.opening_hours);
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) return;
    if (shop?.active && !fields.active) {
      const confirmed = await confirmAction({
        title: 'Deactivate this shop?',
        message: `"${shop.name}" disappears for passengers and takes no more orders until it is activated again.`,
        confirmLabel: 'Deactivate',
      });
      if (!confirmed) return;
    }
    save.mutate({ ...fields, station: fields.station.trim(), name: fields.name.trim(), location: fields.location.trim() });
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Name" required value={fields.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.name} maxLength={200} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Station" required placeholder="Central" value={fields.station} onChange={(event) => set('station', event.currentTarget.value)} error={errors.station} maxLength={100} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput
              label="Location"
              required
              placeholder="Hall B, next to platform 4"
              value={fields.location}
              onChange={(event) => set('location', event.currentTarget.value)}
              error={errors.location}
              maxLength={200}
            />
          </Grid.Col>
        </Grid>
        <Switch
          label="Active"
          description="An inactive shop is hidden from passengers and takes no orders, whatever its hours."
          checked={fields.active}
          onChange={(event) => set('active', event.currentTarget.checked)}
        />
        <OpeningHoursEditor rules={fields.opening_hours} onChange={(rules) => set('opening_hours', rules)} errors={errors} timeZone={timeZone} />
        {formError !== null && (
          <Alert color="red" role="alert" title="Not saved">
            {describeError(formError)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {shop ? 'Save shop' : 'Create shop'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
