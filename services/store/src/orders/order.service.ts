import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CreateOrderParams, OrderStatus, OrderView } from '@fleet/contracts';
import { toPage } from '@fleet/database';
import { Page } from '../common/paging.dto';
import { OutboxWriter } from '../outbox/outbox.writer';
import { ShopService } from '../shops/shop.service';
import { mapOrder, OrderQueryDto } from './order.dto';
import { OrderRepository } from './order.repository';
import { StoreOrderView } from './order.view';
import { CreateOutcome, OrderLine } from './order.types';

@Injectable()
export class OrderService {
  private readonly logger = new Logger(OrderService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly shops: ShopService,
    private readonly outbox: OutboxWriter,
  ) {}

  async createOrder(params: CreateOrderParams): Promise<OrderView> {
    const started = Date.now();
    const shop = await this.shops.getShopOrFail(params.shop_id);
    if (!shop.active) throw new NotFoundException(`Shop ${shop.id} not found`);
    if (!this.shops.isOpen(shop)) throw new ConflictException(`Shop "${shop.name}" is closed now`);
    const lines = mergeLines(params.items);
    const outcome = await this.orders.create({
      idempotencyKey: params.idempotency_key,
      fingerprint: fingerprint(params, lines),
      shopId: shop.id,
      ticketCode: params.ticket_code,
      placedBy: params.placed_by,
      passengerName: params.passenger_name ?? null,
      lines,
    });
    const view = this.answer(outcome, params.idempotency_key);
    this.logger.log(`Order ${view.id} ${view.replayed ? 'replayed' : 'created'} for ${params.placed_by} (${lines.length} lines, ${view.total_minor} ${view.currency}) in ${Date.now() - started} ms`);
    return view;
  }

  async getOrder(id: string): Promise<StoreOrderView> {
    const stored = await this.orders.getById(id);
    if (!stored) throw new NotFoundException(`Order ${id} not found`);
    return mapOrder(stored);
  }

  async getOrders(query: OrderQueryDto): Promise<Page<StoreOrderView>> {
    const [orders, total] = await this.orders.getPage({ status: query.status, shopId: query.shop_id, q: query.q }, query.limit, query.offset);
    return toPage(orders.map((order) => mapOrder(order)), total, query);
  }

  /** Moves an order along the status machine; paid and cancelled orders go to the accounting outbox in the same transaction. */
  async changeStatus(id: string, to: OrderStatus, by: string): Promise<StoreOrderView> {
    const outcome = await this.orders.transition(id, to, (manager, stored) => this.outbox.recordIfExported(manager, stored));
    if (outcome.kind === 'not_found') throw new NotFoundException(`Order ${id} not found`);
    if (outcome.kind === 'illegal') throw new ConflictException(`Order ${id} is ${outcome.current}; it cannot become ${to}`);
    this.logger.log(`Order ${id} ${outcome.from} -> ${to} by ${by}`);
    return mapOrder(outcome.stored);
  }

  private answer(outcome: CreateOutcome, key: string): OrderView {
    switch (outcome.kind) {
      case 'created':
        return mapOrder(outcome.stored, false);
      case 'replayed':
        return mapOrder(outcome.stored, true);
      case 'key_reused':
        throw new ConflictException(`Idempotency key ${key} was already used for order ${outcome.existing.id} with different contents`);
      case 'product_unavailable':
        throw new NotFoundException(`Product ${outcome.productId} is not sold by this shop`);
      case 'out_of_stock':
        throw new ConflictException(`Not enough stock of product ${outcome.productId}: ${outcome.requested} requested, ${outcome.available} left`);
      case 'mixed_currency':
        throw new BadRequestException(`One order must be in one currency; these products are in ${outcome.currencies.join(', ')}`);
    }
  }
}

/** Two lines of one product become one line (the order stores one row per product). */
function mergeLines(items: CreateOrderParams['items']): OrderLine[] {
  const byProduct = new Map<string, number>();
  for (const item of items) byProduct.set(item.product_id.toLowerCase(), (byProduct.get(item.product_id.toLowerCase()) ?? 0) + item.quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity })).sort((a, b) => a.productId.localeCompare(b.productId));
}

/** What makes two creations "the same request": a replayed key must carry the same contents. */
function fingerprint(params: CreateOrderParams, lines: OrderLine[]): string {
  const canonical = JSON.stringify([params.shop_id.toLowerCase(), params.ticket_code, params.placed_by, params.passenger_name ?? null, lines.map((line) => [line.productId, line.quantity])]);
  return createHash('sha256').update(canonical).digest('hex');
}
