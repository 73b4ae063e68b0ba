import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { UploadedImage } from '../predict/predict.service';
import { ApiMultipart, CONFIDENCE_FIELD } from '../predict/api-multipart';
import { uploadOptions } from '../predict/upload-options';
import { ApiPage } from '@fleet/openapi';
import { IssueToolkitDto, ListTransactionsDto, ResolveReviewDto, ReturnFieldsDto } from './transactions.dto';
import { TransactionView } from './transactions.view';
import { TransactionsService } from './transactions.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@Controller('transactions')
@Roles(Role.Robot, Role.Operator)
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Post('issue')
  issue(@CurrentUser() user: AuthUser, @Body() dto: IssueToolkitDto): Promise<TransactionView> {
    return this.transactions.issue(user, dto);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiMultipart({ images: { description: 'Photos of the opened kit, each a view of the whole kit', many: true } }, { confidence: CONFIDENCE_FIELD })
  @UseInterceptors(FilesInterceptor('images', undefined, uploadOptions('images')))
  return(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @UploadedFiles() images: UploadedImage[] | undefined, @Body() fields: ReturnFieldsDto): Promise<TransactionView> {
    return this.transactions.return(user, id, images, fields);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles(Role.Operator)
  resolve(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() dto: ResolveReviewDto): Promise<TransactionView> {
    return this.transactions.resolve(user, id, dto);
  }

  @Get()
  @Roles(Role.Operator)
  @ApiPage(TransactionView)
  list(@Query() query: ListTransactionsDto): Promise<Page<TransactionView>> {
    return this.transactions.list(query);
  }

  @Get(':id')
  get(@Param('id', uuid) id: string): Promise<TransactionView> {
    return this.transactions.get(id);
  }
}
