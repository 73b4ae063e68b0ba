import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShopModule } from '../shops/shop.module';
import { ProductEntity } from './product.entity';
import { ProductRepository } from './product.repository';
import { ProductService } from './product.service';
import { AdminProductsController, PublicProductsController } from './products.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ProductEntity]), ShopModule],
  controllers: [PublicProductsController, AdminProductsController],
  providers: [ProductRepository, ProductService],
})
export class ProductModule {}
