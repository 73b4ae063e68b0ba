import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { UploadedImage } from '../predict/predict.service';
import { uploadOptions } from '../predict/upload-options';
import { IssueToolkitDto, ListTransactionsDto, ResolveReviewDto, ReturnFieldsDto, TransactionResponseDto } from './transactions.dto';
import { TransactionsService } from './transactions.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@Controller('transactions')
@Roles(Role.Robot, Role.Operator)
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Post('issue')
  issue(@CurrentUser() user: AuthUser, @Body() dto: IssueToolkitDto): Promise<TransactionResponseDto> {
    return this.transactions.issue(user, dto);
  }

  @Post(':id/return')
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('images', undefined, uploadOptions('images')))
  return(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @UploadedFiles() images: UploadedImage[] | undefined, @Body() fields: ReturnFieldsDto): Promise<TransactionResponseDto> {
    return this.transactions.return(user, id, images, fields);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles(Role.Operator)
  resolve(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() dto: ResolveReviewDto): Promise<TransactionResponseDto> {
    return this.transactions.resolve(user, id, dto);
  }

  @Get()
  @Roles(Role.Operator)
  list(@Query() query: ListTransactionsDto): Promise<Page<TransactionResponseDto>> {
    return this.transactions.list(query);
  }

  @Get(':id')
  get(@Param('id', uuid) id: string): Promise<TransactionResponseDto> {
    return this.transactions.get(id);
  }
}
