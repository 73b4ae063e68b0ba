import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Public, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { Page } from '../common/paging.dto';
import { AdminShopQueryDto, CreateShopDto, PublicShopQueryDto, UpdateShopDto } from './shop.dto';
import { ShopService } from './shop.service';
import { ShopView } from './shop.view';

/** Public browsing: open shops only (`/store_api/shops` through the gateway). */
@ApiTags('shops')
@Controller('shops')
export class PublicShopsController {
  constructor(private readonly shops: ShopService) {}

  @Get()
  @Public()
  @ApiPage(ShopView, 'Active shops open right now.')
  getOpenShops(@Query() query: PublicShopQueryDto): Promise<Page<ShopView>> {
    return this.shops.getOpenShops(query);
  }
}

/** Shop administration (operators): every shop, open or not, active or not. */
@ApiTags('shops')
@ApiBearerAuth()
@Controller('admin/shops')
@Roles(Role.Operator, Role.Admin)
export class AdminShopsController {
  constructor(private readonly shops: ShopService) {}

  @Get()
  @ApiPage(ShopView)
  getShops(@Query() query: AdminShopQueryDto): Promise<Page<ShopView>> {
    return this.shops.getShops(query);
  }

  @Get(':id')
  getShop(@Param('id', ParseUUIDPipe) id: string): Promise<ShopView> {
    return this.shops.getShop(id);
  }

  @Post()
  createShop(@CurrentUser() user: AuthUser, @Body() dto: CreateShopDto): Promise<ShopView> {
    return this.shops.createShop(dto, user.sub);
  }

  @Patch(':id')
  updateShop(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateShopDto): Promise<ShopView> {
    return this.shops.updateShop(id, dto, user.sub);
  }
}
