import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { storeApi } from '../../api/clients/store';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { formatMoney } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { ProductForm } from './ProductForm';
import { type Product, SHOPS_KEY, useProducts } from './shops-queries';

/** A shop's products, active or not: prices shown as currency, added and edited in a modal, deleted after a confirmation. */
export function ProductsPanel({ shopId }: { shopId: string }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [offset, setOffset] = useState(0);
  // undefined: closed; null: a new product; otherwise the product being edited.
  const [editing, setEditing] = useState<Product | null | undefined>(undefined);
  const products = useProducts(shopId, { q: q || undefined, offset });

  const remove = useMutation({
    mutationFn: (product: Product) => unwrap(storeApi.DELETE('/admin/products/{id}', { params: { path: { id: product.id } } })),
    onSuccess: (_, product) => {
      void queryClient.invalidateQueries({ queryKey: [...SHOPS_KEY, shopId, 'products'] });
      notifySuccess(`"${product.name}" deleted`);
    },
    // A product that appears in orders cannot go (409): the sentence says to deactivate it instead.
    onError: (error) => notifyError(error, 'Not deleted'),
  });

  const confirmRemove = async (product: Product) => {
    const confirmed = await confirmAction({ title: `Delete "${product.name}"?`, message: 'It disappears from the shop for good. A product that was ordered cannot be deleted: deactivate it instead.', confirmLabel: 'Delete' });
    if (confirmed) remove.mutate(product);
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={3} size="h4">
          Products
        </Title>
        <Group align="flex-end">
          <TextInput
            label="Search products"
            placeholder="Name or category"
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              setOffset(0);
            }}
          />
          <Button onClick={() => setEditing(null)}>Add product</Button>
        </Group>
      </Group>
      <QueryState query={products} isEmpty={(page) => page.total === 0} empty={q ? 'No product matches this search.' : 'No products yet.'}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Category</Table.Th>
                    <Table.Th ta="right">Price</Table.Th>
                    <Table.Th ta="right">Stock</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th aria-label="Actions" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((product) => (
                    <Table.Tr key={product.id} data-testid={`product-${product.id}`}>
                      <Table.Td>{product.name}</Table.Td>
                      <Table.Td>{product.category}</Table.Td>
                      <Table.Td ta="right" data-testid="product-price">
                        {formatMoney(product.price_minor, product.currency)}
                      </Table.Td>
                      <Table.Td ta="right">
                        {product.stock === 0 ? (
                          <Text span c="red" size="sm">
                            Sold out
                          </Text>
                        ) : (
                          product.stock
                        )}
                      </Table.Td>
                      <Table.Td>{product.active ? <Badge color="green">Active</Badge> : <Badge color="gray">Inactive</Badge>}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap" justify="flex-end">
                          <Button size="compact-sm" variant="subtle" onClick={() => setEditing(product)} aria-label={`Edit ${product.name}`}>
                            Edit
                          </Button>
                          <Button size="compact-sm" variant="subtle" color="red" onClick={() => void confirmRemove(product)} aria-label={`Delete ${product.name}`}>
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={setOffset} />
          </>
        )}
      </QueryState>
      <Modal opened={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? `Edit "${editing.name}"` : 'New product'} size="lg">
        {editing !== undefined && <ProductForm shopId={shopId} product={editing ?? undefined} onSaved={() => setEditing(undefined)} />}
      </Modal>
    </Stack>
  );
}
