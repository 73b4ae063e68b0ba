import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { toPage } from '@fleet/database';
import { Page } from '../common/paging.dto';
import { STORE_CONFIG, StoreConfig } from '../config/store.config';
import { isOpenAt, OpeningHoursRule, ruleProblem } from './opening-hours';
import { AdminShopQueryDto, CreateShopDto, mapShop, PublicShopQueryDto, UpdateShopDto } from './shop.dto';
import { ShopEntity } from './shop.entity';
import { ShopRepository } from './shop.repository';
import { ShopView } from './shop.view';

@Injectable()
export class ShopService {
  private readonly logger = new Logger(ShopService.name);

  constructor(
    private readonly shops: ShopRepository,
    @Inject(STORE_CONFIG) private readonly config: StoreConfig,
  ) {}

  isOpen(shop: ShopEntity, at = new Date()): boolean {
    return shop.active && isOpenAt(shop.openingHours, at, this.config.timezone);
  }

  /**
   * Active shops open right now. "Open" depends on the clock, so it is decided here and the page
   * is cut after filtering; a station has tens of shops, not thousands, so reading them all is cheap.
   */
  async getOpenShops(query: PublicShopQueryDto): Promise<Page<ShopView>> {
    const now = new Date();
    const open = (await this.shops.getAllMatching({ q: query.q, station: query.station, active: true })).filter((shop) => this.isOpen(shop, now));
    return {
      items: open.slice(query.offset, query.offset + query.limit).map((shop) => mapShop(shop, true, this.config.timezone)),
      total: open.length,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async getShops(query: AdminShopQueryDto): Promise<Page<ShopView>> {
    const [shops, total] = await this.shops.getPage({ q: query.q, station: query.station, active: query.active }, query.limit, query.offset);
    const now = new Date();
    return toPage(shops.map((shop) => mapShop(shop, this.isOpen(shop, now), this.config.timezone)), total, query);
  }

  async getShop(id: string): Promise<ShopView> {
    const shop = await this.getShopOrFail(id);
    return mapShop(shop, this.isOpen(shop), this.config.timezone);
  }

  async getShopOrFail(id: string): Promise<ShopEntity> {
    const shop = await this.shops.getById(id);
    if (!shop) throw new NotFoundException(`Shop ${id} not found`);
    return shop;
  }

  /** For the public: a shop that is inactive or closed now does not exist (404), it is not a 403. */
  async getOpenShopOrFail(id: string): Promise<ShopEntity> {
    const shop = await this.shops.getById(id);
    if (!shop || !this.isOpen(shop)) throw new NotFoundException(`Shop ${id} not found or not open now`);
    return shop;
  }

  async createShop(dto: CreateShopDto, by: string): Promise<ShopView> {
    this.assertHours(dto.opening_hours);
    const shop = await this.shops.create({
      station: dto.station,
      name: dto.name,
      location: dto.location,
      openingHours: dto.opening_hours.map(plainRule),
      active: dto.active ?? true,
    });
    this.logger.log(`Shop ${shop.id} "${shop.name}" created by ${by}`);
    return mapShop(shop, this.isOpen(shop), this.config.timezone);
  }

  async updateShop(id: string, dto: UpdateShopDto, by: string): Promise<ShopView> {
    await this.getShopOrFail(id);
    if (dto.opening_hours) this.assertHours(dto.opening_hours);
    const changes: Partial<ShopEntity> = {};
    if (dto.station !== undefined) changes.station = dto.station;
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.location !== undefined) changes.location = dto.location;
    if (dto.opening_hours !== undefined) changes.openingHours = dto.opening_hours.map(plainRule);
    if (dto.active !== undefined) changes.active = dto.active;
    const shop = await this.shops.update(id, changes);
    if (!shop) throw new NotFoundException(`Shop ${id} not found`);
    this.logger.log(`Shop ${id} updated by ${by}: ${Object.keys(changes).join(', ') || 'nothing'}`);
    return mapShop(shop, this.isOpen(shop), this.config.timezone);
  }

  private assertHours(rules: OpeningHoursRule[]): void {
    const problems = rules.map((rule, index) => [index, ruleProblem(rule)] as const).filter(([, problem]) => problem);
    if (problems.length > 0) throw new BadRequestException(problems.map(([index, problem]) => `opening_hours.${index}: ${problem}`));
  }
}

/** Strips the DTO class so jsonb gets exactly these three keys. */
function plainRule(rule: OpeningHoursRule): OpeningHoursRule {
  return { days: [...rule.days].sort(), opens: rule.opens, closes: rule.closes };
}
