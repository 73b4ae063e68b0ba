import { Alert, Button, Grid, Group, NumberInput, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { storeApi, type StoreSchemas } from '../../api/clients/store';
import { describeError, fieldErrorsOf } from '../../api/errors';
import { unwrap } from '../../api/http';
import { notifySuccess } from '../../components/notify';
import { currencyDigits, fromMinorUnits, toMinorUnits } from './money';
import { type Product, SHOPS_KEY } from './shops-queries';

type ProductBody = StoreSchemas['CreateProductDto'];

interface ProductFields {
  name: string;
  category: string;
  /** The amount as typed, in the currency's units ("12.50"); sent as integer minor units. */
  price: string | number;
  currency: string;
  stock: string | number;
  image_url: string;
  active: boolean;
}

const fieldsOf = (product?: Product): ProductFields => ({
  name: product?.name ?? '',
  category: product?.category ?? '',
  price: product ? fromMinorUnits(product.price_minor, currencyDigits(product.currency) ?? 2) : '',
  currency: product?.currency ?? 'EUR',
  stock: product?.stock ?? 0,
  image_url: product?.image_url ?? '',
  active: product?.active ?? true,
});

/** Checks what the API cannot see (the typed amount) and builds the body; errors keyed by the API's field names. */
function toBody(fields: ProductFields): { body?: ProductBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const currency = fields.currency.trim().toUpperCase();
  const digits = /^[A-Z]{3}$/.test(currency) ? currencyDigits(currency) : undefined;
  if (digits === undefined) errors.currency = 'An ISO 4217 currency code, such as EUR';
  const price = digits === undefined ? undefined : toMinorUnits(fields.price, digits);
  if (digits !== undefined && price === undefined) errors.price_minor = digits === 0 ? `A whole amount of ${currency}` : `An amount with at most ${digits} decimals, e.g. 12.50`;
  if (fields.stock === '') errors.stock = 'How many are on the shelf (0 or more)';
  if (Object.keys(errors).length > 0 || price === undefined) return { errors };
  return {
    errors,
    body: {
      name: fields.name.trim(),
      category: fields.category.trim(),
      price_minor: price,
      currency,
      stock: Number(fields.stock),
      image_url: fields.image_url.trim() || undefined,
      active: fields.active,
    },
  };
}

/** Adds a product to a shop (no `product`) or edits one; money is typed as currency and sent as integer minor units. */
export function ProductForm({ shopId, product, onSaved }: { shopId: string; product?: Product; onSaved: () => void }) {
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<ProductFields>(() => fieldsOf(product));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const set = <K extends keyof ProductFields>(key: K, value: ProductFields[K]) => setFields((current) => ({ ...current, [key]: value }));
  const digits = currencyDigits(fields.currency.trim().toUpperCase()) ?? 2;

  const save = useMutation({
    mutationFn: (body: ProductBody) =>
      product
        ? // An emptied image field removes the image (null), where a new product simply has none.
          unwrap(storeApi.PATCH('/admin/products/{id}', { params: { path: { id: product.id } }, body: { ...body, image_url: body.image_url ?? null } }))
        : unwrap(storeApi.POST('/admin/shops/{shopId}/products', { params: { path: { shopId } }, body })),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: [...SHOPS_KEY, shopId, 'products'] });
      notifySuccess(product ? `"${saved.name}" saved` : `"${saved.name}" added`);
      onSaved();
    },
    onError: (error) => {
      const fieldErrors = fieldErrorsOf(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length > 0 ? null : error);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: problems } = toBody(fields);
    setErrors(problems);
    setFormError(null);
    if (body) save.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Name" required value={fields.name} onChange={(event) => set('name', event.currentTarget.value)} error={errors.name} maxLength={200} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label="Category" required placeholder="drinks" value={fields.category} onChange={(event) => set('category', event.currentTarget.value)} error={errors.category} maxLength={100} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput
              label={`Price (${fields.currency.trim().toUpperCase() || 'currency'})`}
              required
              placeholder={digits === 0 ? '500' : `12.${'5'.padEnd(digits, '0')}`}
              value={fields.price}
              onChange={(value) => set('price', value)}
              decimalScale={digits}
              allowNegative={false}
              hideControls
              error={errors.price_minor}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <TextInput
              label="Currency"
              required
              value={fields.currency}
              onChange={(event) => set('currency', event.currentTarget.value.toUpperCase())}
              error={errors.currency}
              maxLength={3}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <NumberInput label="Stock" required value={fields.stock} onChange={(value) => set('stock', value)} allowDecimal={false} allowNegative={false} min={0} max={1_000_000} error={errors.stock} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="Image URL" placeholder="https://…" value={fields.image_url} onChange={(event) => set('image_url', event.currentTarget.value)} error={errors.image_url} />
          </Grid.Col>
        </Grid>
        <Switch label="Active" description="An inactive product is hidden from passengers and cannot be ordered." checked={fields.active} onChange={(event) => set('active', event.currentTarget.checked)} />
        {formError !== null && (
          <Alert color="red" role="alert" title="Not saved">
            {describeError(formError)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {product ? 'Save product' : 'Add product'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
