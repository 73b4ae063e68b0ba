import { useQuery } from '@tanstack/react-query';
import { storeApi, type StoreSchemas } from '../../api/clients/store';
import { unwrap } from '../../api/http';

export type Shop = StoreSchemas['ShopView'];
export type OpeningHoursRule = StoreSchemas['OpeningHoursRuleDto'];
export type Product = StoreSchemas['ProductView'];
export type Order = StoreSchemas['StoreOrderView'];
export type OrderStatus = Order['status'];
export type OutboxRecord = StoreSchemas['OutboxRecordView'];
export type OutboxStatus = OutboxRecord['status'];

/** Every query of this page starts with 'store': a mutation invalidates what it touched below it. */
export const STORE_KEY = ['store'] as const;
export const SHOPS_KEY = [...STORE_KEY, 'shops'] as const;
export const ORDERS_KEY = [...STORE_KEY, 'orders'] as const;
export const OUTBOX_KEY = [...STORE_KEY, 'outbox'] as const;
export const PAGE_SIZE = 20;
/** Orders and exports change on their own (robots order, the deliverer works): refreshed this often. */
export const LIVE_INTERVAL_MS = 3_000;
/** A station has tens of shops: selects list them all (the service's largest page). */
const ALL = 100;

export interface ShopFilters {
  q?: string;
  active?: boolean;
  offset: number;
}

// "open now" follows the clock, so shop lists refresh too (less often).
export const useShops = (filters: ShopFilters) =>
  useQuery({
    queryKey: [...SHOPS_KEY, 'page', filters],
    queryFn: () => unwrap(storeApi.GET('/admin/shops', { params: { query: { ...filters, limit: PAGE_SIZE } } })),
    refetchInterval: 15_000,
  });

export const useAllShops = () =>
  useQuery({ queryKey: [...SHOPS_KEY, 'all'], queryFn: () => unwrap(storeApi.GET('/admin/shops', { params: { query: { limit: ALL } } })) });

export const useShop = (id: string) =>
  useQuery({
    queryKey: [...SHOPS_KEY, 'one', id],
    queryFn: () => unwrap(storeApi.GET('/admin/shops/{id}', { params: { path: { id } } })),
    refetchInterval: 15_000,
  });

export interface ProductFilters {
  q?: string;
  offset: number;
}

export const useProducts = (shopId: string, filters: ProductFilters) =>
  useQuery({
    queryKey: [...SHOPS_KEY, shopId, 'products', filters],
    queryFn: () => unwrap(storeApi.GET('/admin/shops/{shopId}/products', { params: { path: { shopId }, query: { ...filters, limit: PAGE_SIZE } } })),
    // Stock moves with every order.
    refetchInterval: 10_000,
  });

export interface OrderFilters {
  status?: OrderStatus;
  shop_id?: string;
  q?: string;
  offset: number;
}

export const useOrders = (filters: OrderFilters) =>
  useQuery({
    queryKey: [...ORDERS_KEY, filters],
    queryFn: () => unwrap(storeApi.GET('/admin/orders', { params: { query: { ...filters, limit: PAGE_SIZE } } })),
    refetchInterval: LIVE_INTERVAL_MS,
  });

export const useOutbox = (status: OutboxStatus | undefined, offset: number) =>
  useQuery({
    queryKey: [...OUTBOX_KEY, status, offset],
    queryFn: () => unwrap(storeApi.GET('/admin/outbox', { params: { query: { status, offset, limit: PAGE_SIZE } } })),
    refetchInterval: LIVE_INTERVAL_MS,
  });

/** How many exports failed (their attempts are used up): shown as a warning until someone retries them. */
export const useFailedExportCount = () =>
  useQuery({
    queryKey: [...OUTBOX_KEY, 'failed-count'],
    queryFn: async () => (await unwrap(storeApi.GET('/admin/outbox', { params: { query: { status: 'failed', limit: 1 } } }))).total,
    refetchInterval: LIVE_INTERVAL_MS,
  });
