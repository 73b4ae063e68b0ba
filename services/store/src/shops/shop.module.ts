import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShopEntity } from './shop.entity';
import { ShopRepository } from './shop.repository';
import { ShopService } from './shop.service';
import { AdminShopsController, PublicShopsController } from './shops.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ShopEntity])],
  controllers: [PublicShopsController, AdminShopsController],
  providers: [ShopRepository, ShopService],
  exports: [ShopService],
})
export class ShopModule {}
