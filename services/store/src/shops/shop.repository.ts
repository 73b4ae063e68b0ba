import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { likePattern } from '../common/paging.dto';
import { ShopEntity } from './shop.entity';

export interface ShopFilter {
  q?: string;
  station?: string;
  active?: boolean;
}

@Injectable()
export class ShopRepository {
  constructor(@InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>) {}

  getById(id: string): Promise<ShopEntity | null> {
    return this.shops.findOne({ where: { id } });
  }

  /** Every shop matching `filter`, by name; opening hours are filtered by the caller (they depend on the clock). */
  getAllMatching(filter: ShopFilter): Promise<ShopEntity[]> {
    return this.filtered(filter).orderBy('shop.name', 'ASC').addOrderBy('shop.id', 'ASC').getMany();
  }

  getPage(filter: ShopFilter, limit: number, offset: number): Promise<[ShopEntity[], number]> {
    return this.filtered(filter).orderBy('shop.name', 'ASC').addOrderBy('shop.id', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  create(values: Omit<ShopEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<ShopEntity> {
    return this.shops.save(this.shops.create(values));
  }

  async update(id: string, values: Partial<ShopEntity>): Promise<ShopEntity | null> {
    if (Object.keys(values).length > 0) await this.shops.update({ id }, values);
    return this.getById(id);
  }

  private filtered(filter: ShopFilter): SelectQueryBuilder<ShopEntity> {
    const query = this.shops.createQueryBuilder('shop');
    if (filter.active !== undefined) query.andWhere('shop.active = :active', { active: filter.active });
    if (filter.station) query.andWhere('shop.station = :station', { station: filter.station });
    if (filter.q) query.andWhere('(shop.name ILIKE :q OR shop.location ILIKE :q)', { q: likePattern(filter.q) });
    return query;
  }
}
