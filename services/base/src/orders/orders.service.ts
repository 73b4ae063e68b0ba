import { BadRequestException, Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuthUser } from '@fleet/auth';
import { CreateOrder, GetOrder, OrderView } from '@fleet/contracts';
import { RpcClient } from '@fleet/messaging';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';
import { RobotDirectory } from '../robots/robot-directory';
import { OrderTicketLookup, whyNotOrderable } from './order-ticket.lookup';
import { CLIENT_IDEMPOTENCY_KEY, PlaceOrderDto } from './orders.dto';

/**
 * The robot's orders: base checks the passenger's ticket, then asks store over RabbitMQ with a
 * deadline. The robot is the registered one behind the token's client (`azp`), as on every robot
 * route; orders are placed and looked up by its id. Store's errors come back as RpcErrors and
 * the error filter makes them 404/409/400, a missed deadline 504, a missing broker or store 503.
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly tickets: OrderTicketLookup,
    private readonly robots: RobotDirectory,
    private readonly rpc: RpcClient,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {}

  async placeOrder(user: AuthUser, dto: PlaceOrderDto, headerKey: string | undefined): Promise<OrderView> {
    const clientKey = headerKey ?? dto.idempotency_key;
    if (!clientKey) throw new BadRequestException('Send an Idempotency-Key header (or idempotency_key): a retry with the same key never orders twice');
    if (!CLIENT_IDEMPOTENCY_KEY.test(clientKey)) throw new BadRequestException('Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 _ . : -');
    const robot = await this.robots.resolve(user);
    const ticket = await this.tickets.findByCode(dto.ticket_code);
    const refusal = whyNotOrderable(ticket, dto.ticket_code, new Date());
    if (refusal) throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: refusal.reason, ticket_decision: refusal.decision });
    const started = Date.now();
    const order = await this.rpc.call(
      CreateOrder,
      {
        idempotency_key: scopedKey(robot.id, clientKey),
        shop_id: dto.shop_id,
        items: dto.items.map((item) => ({ product_id: item.product_id, quantity: item.quantity })),
        ticket_code: dto.ticket_code,
        placed_by: robot.id,
        passenger_name: ticket!.passenger_name,
      },
      { deadlineMs: this.config.rmq.deadlineMs },
    );
    this.logger.log(`Order ${order.id} for ticket ${dto.ticket_code} by robot ${robot.id}: ${order.replayed ? 'replayed' : 'created'} in ${Date.now() - started} ms`);
    return order;
  }

  /** A robot sees the orders it placed; anyone else's is "not found". */
  async getOrder(user: AuthUser, id: string): Promise<OrderView> {
    const robot = await this.robots.resolve(user);
    const order = await this.rpc.call(GetOrder, { order_id: id }, { deadlineMs: this.config.rmq.deadlineMs });
    if (order.placed_by !== robot.id) throw new NotFoundException(`Order ${id} not found`);
    return order;
  }
}

/** Keys are per robot: two robots that happen to pick the same key must not share an order. */
function scopedKey(robotId: string, clientKey: string): string {
  return `robot:${createHash('sha256').update(robotId).digest('hex').slice(0, 16)}:${clientKey}`;
}
