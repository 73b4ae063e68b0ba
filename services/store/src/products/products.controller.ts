import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Public, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { Page } from '../common/paging.dto';
import { AdminProductQueryDto, CreateProductDto, ProductQueryDto, UpdateProductDto } from './product.dto';
import { ProductService } from './product.service';
import { ProductView } from './product.view';

/** Public browsing: the active products of an open shop. */
@ApiTags('products')
@Controller('shops/:shopId/products')
export class PublicProductsController {
  constructor(private readonly products: ProductService) {}

  @Get()
  @Public()
  @ApiPage(ProductView, 'Active products of a shop open now (404 when it is not).')
  getProducts(@Param('shopId', ParseUUIDPipe) shopId: string, @Query() query: ProductQueryDto): Promise<Page<ProductView>> {
    return this.products.getPublicProducts(shopId, query);
  }
}

@ApiTags('products')
@ApiBearerAuth()
@Controller('admin')
@Roles(Role.Operator, Role.Admin)
export class AdminProductsController {
  constructor(private readonly products: ProductService) {}

  @Get('shops/:shopId/products')
  @ApiPage(ProductView)
  getProducts(@Param('shopId', ParseUUIDPipe) shopId: string, @Query() query: AdminProductQueryDto): Promise<Page<ProductView>> {
    return this.products.getProducts(shopId, query);
  }

  @Post('shops/:shopId/products')
  createProduct(@CurrentUser() user: AuthUser, @Param('shopId', ParseUUIDPipe) shopId: string, @Body() dto: CreateProductDto): Promise<ProductView> {
    return this.products.createProduct(shopId, dto, user.sub);
  }

  @Get('products/:id')
  getProduct(@Param('id', ParseUUIDPipe) id: string): Promise<ProductView> {
    return this.products.getProduct(id);
  }

  @Patch('products/:id')
  updateProduct(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProductDto): Promise<ProductView> {
    return this.products.updateProduct(id, dto, user.sub);
  }

  @Delete('products/:id')
  @HttpCode(204)
  deleteProduct(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.products.deleteProduct(id, user.sub);
  }
}
