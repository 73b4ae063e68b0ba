import { Anchor, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { ProductsPanel } from './ProductsPanel';
import { ShopForm } from './ShopForm';
import { ShopStateBadge } from './ShopList';
import { useShop } from './shops-queries';

/** One shop: its details and opening hours (editable) beside its products. */
export function ShopDetail() {
  const { shopId = '' } = useParams();
  const shop = useShop(shopId);

  return (
    <Stack>
      <Anchor component={Link} to="/shops" size="sm">
        ← All shops
      </Anchor>
      <QueryState query={shop}>
        {(current) => (
          <>
            <Group justify="space-between" wrap="wrap">
              <Group gap="sm">
                <Title order={2} size="h3">
                  {current.name}
                </Title>
                <ShopStateBadge shop={current} />
              </Group>
              <Text size="sm" c="dimmed">
                {current.station} · {current.location} · changed {formatDateTime(current.updated_at)}
              </Text>
            </Group>
            <Grid>
              <Grid.Col span={{ base: 12, lg: 5 }}>
                <Card withBorder>
                  <Title order={3} size="h4" mb="sm">
                    Shop and opening hours
                  </Title>
                  {/* Keyed by the saved version: a save (or another operator's) refills the form. */}
                  <ShopForm key={current.updated_at} shop={current} timeZone={current.time_zone} />
                </Card>
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 7 }}>
                <Card withBorder>
                  <ProductsPanel shopId={current.id} />
                </Card>
              </Grid.Col>
            </Grid>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
