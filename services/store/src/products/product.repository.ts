import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { likePattern } from '../common/paging.dto';
import { returning } from '../common/sql';
import { ProductEntity } from './product.entity';

export interface ProductFilter {
  shopId: string;
  q?: string;
  category?: string;
  active?: boolean;
}

@Injectable()
export class ProductRepository {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  getById(id: string): Promise<ProductEntity | null> {
    return this.products.findOne({ where: { id } });
  }

  getPage(filter: ProductFilter, limit: number, offset: number): Promise<[ProductEntity[], number]> {
    const query = this.products.createQueryBuilder('product').where('product.shop_id = :shopId', { shopId: filter.shopId });
    if (filter.active !== undefined) query.andWhere('product.active = :active', { active: filter.active });
    if (filter.category) query.andWhere('product.category = :category', { category: filter.category });
    if (filter.q) query.andWhere('(product.name ILIKE :q OR product.category ILIKE :q)', { q: likePattern(filter.q) });
    return query.orderBy('product.name', 'ASC').addOrderBy('product.id', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  create(values: Omit<ProductEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<ProductEntity> {
    return this.products.save(this.products.create(values));
  }

  async update(id: string, values: Partial<ProductEntity>): Promise<ProductEntity | null> {
    if (Object.keys(values).length > 0) await this.products.update({ id }, values);
    return this.getById(id);
  }

  /** False when an order references the product (it must stay for the order's history). */
  async deleteUnordered(id: string): Promise<boolean> {
    const rows = await returning(
      this.products.manager,
      `DELETE FROM store.product p WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM store.order_item i WHERE i.product_id = p.id) RETURNING p.id`,
      [id],
    );
    return rows.length === 1;
  }
}
