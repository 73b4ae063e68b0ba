import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';
import { TransactionEntity, TransactionStatus } from './transaction.entity';

export class IssueToolkitDto {
  @IsUUID()
  toolkit_id!: string;

  @IsUUID()
  engineer_id!: string;
}

export class ReturnFieldsDto {
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  confidence?: number;
}

export class ResolveReviewDto {
  @IsIn([TransactionStatus.Complete, TransactionStatus.Incomplete])
  status!: TransactionStatus.Complete | TransactionStatus.Incomplete;

  @IsString() @MinLength(3) @MaxLength(2000)
  reason!: string;
}

export class ListTransactionsDto extends PageQueryDto {
  @IsOptional() @IsIn(Object.values(TransactionStatus))
  status?: TransactionStatus;

  @IsOptional() @IsUUID()
  toolkit_id?: string;

  @IsOptional() @IsUUID()
  engineer_id?: string;
}

export interface TransactionResponseDto {
  id: string;
  toolkit_id: string;
  engineer_id: string;
  status: TransactionStatus;
  issued_at: string;
  issued_by: string;
  returned_at: string | null;
  returned_by: string | null;
  detected_status: TransactionStatus | null;
  comparison: unknown;
  review: { resolved_by: string; reason: string; resolved_at: string } | null;
}

export function mapTransaction(t: TransactionEntity): TransactionResponseDto {
  return {
    id: t.id,
    toolkit_id: t.toolkitId,
    engineer_id: t.engineerId,
    status: t.status,
    issued_at: t.issuedAt.toISOString(),
    issued_by: t.issuedBy,
    returned_at: t.returnedAt?.toISOString() ?? null,
    returned_by: t.returnedBy,
    detected_status: t.detectedStatus,
    comparison: t.comparison,
    review: t.resolvedBy && t.resolvedAt ? { resolved_by: t.resolvedBy, reason: t.resolutionReason ?? '', resolved_at: t.resolvedAt.toISOString() } : null,
  };
}
