import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { toPage } from '@fleet/database';
import { Page } from '../common/paging.dto';
import { ShopService } from '../shops/shop.service';
import { AdminProductQueryDto, CreateProductDto, mapProduct, ProductQueryDto, UpdateProductDto } from './product.dto';
import { ProductEntity } from './product.entity';
import { ProductRepository } from './product.repository';
import { ProductView } from './product.view';

@Injectable()
export class ProductService {
  private readonly logger = new Logger(ProductService.name);

  constructor(
    private readonly products: ProductRepository,
    private readonly shops: ShopService,
  ) {}

  /** Public: active products of a shop that is open now (404 otherwise). */
  async getPublicProducts(shopId: string, query: ProductQueryDto): Promise<Page<ProductView>> {
    await this.shops.getOpenShopOrFail(shopId);
    return this.page(shopId, { ...query, active: true });
  }

  async getProducts(shopId: string, query: AdminProductQueryDto): Promise<Page<ProductView>> {
    await this.shops.getShopOrFail(shopId);
    return this.page(shopId, query);
  }

  async getProduct(id: string): Promise<ProductView> {
    return mapProduct(await this.getProductOrFail(id));
  }

  async createProduct(shopId: string, dto: CreateProductDto, by: string): Promise<ProductView> {
    await this.shops.getShopOrFail(shopId);
    const product = await this.products.create({
      shopId,
      name: dto.name,
      category: dto.category,
      priceMinor: dto.price_minor,
      currency: dto.currency,
      stock: dto.stock,
      imageUrl: dto.image_url ?? null,
      active: dto.active ?? true,
    });
    this.logger.log(`Product ${product.id} "${product.name}" added to shop ${shopId} by ${by}`);
    return mapProduct(product);
  }

  async updateProduct(id: string, dto: UpdateProductDto, by: string): Promise<ProductView> {
    await this.getProductOrFail(id);
    const changes: Partial<ProductEntity> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.category !== undefined) changes.category = dto.category;
    if (dto.price_minor !== undefined) changes.priceMinor = dto.price_minor;
    if (dto.currency !== undefined) changes.currency = dto.currency;
    if (dto.stock !== undefined) changes.stock = dto.stock;
    if (dto.image_url !== undefined) changes.imageUrl = dto.image_url;
    if (dto.active !== undefined) changes.active = dto.active;
    const product = await this.products.update(id, changes);
    if (!product) throw new NotFoundException(`Product ${id} not found`);
    this.logger.log(`Product ${id} updated by ${by}: ${Object.keys(changes).join(', ') || 'nothing'}`);
    return mapProduct(product);
  }

  async deleteProduct(id: string, by: string): Promise<void> {
    await this.getProductOrFail(id);
    if (!(await this.products.deleteUnordered(id))) {
      throw new ConflictException(`Product ${id} appears in orders and cannot be deleted; set active to false to withdraw it`);
    }
    this.logger.log(`Product ${id} deleted by ${by}`);
  }

  private async getProductOrFail(id: string): Promise<ProductEntity> {
    const product = await this.products.getById(id);
    if (!product) throw new NotFoundException(`Product ${id} not found`);
    return product;
  }

  private async page(shopId: string, query: AdminProductQueryDto): Promise<Page<ProductView>> {
    const [items, total] = await this.products.getPage({ shopId, q: query.q, category: query.category, active: query.active }, query.limit, query.offset);
    return toPage(items.map(mapProduct), total, query);
  }
}
