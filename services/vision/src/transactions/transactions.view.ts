import { KitComparisonView, PhotoResultView } from '../predict/predict.view';
import { TransactionEntity, TransactionStatus } from './transaction.entity';

/** What the return's photos showed: the kit comparison, why it got its status, and each photo's result. */
export class ReturnComparisonView extends KitComparisonView {
  /** Why the return is incomplete or needs review (empty when complete). */
  reasons!: string[];
  photos!: PhotoResultView[];
}

/** An operator's decision on a return that needed review. */
export class ReviewView {
  resolved_by!: string;
  reason!: string;
  resolved_at!: string;
}

/** One loan of a toolkit to an engineer, from issue to return (and review). */
export class TransactionView {
  id!: string;
  toolkit_id!: string;
  engineer_id!: string;
  status!: TransactionStatus;
  issued_at!: string;
  /** Token subject of the robot or operator that issued it. */
  issued_by!: string;
  returned_at!: string | null;
  returned_by!: string | null;
  /** What the photos showed: the status the comparison gave before any review. */
  detected_status!: TransactionStatus | null;
  /** Null until the kit is returned. */
  comparison!: ReturnComparisonView | null;
  review!: ReviewView | null;
}

export function mapTransaction(t: TransactionEntity): TransactionView {
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
    // Written by TransactionsService.return in exactly this shape (jsonb, so typed at the edge).
    comparison: t.comparison as unknown as ReturnComparisonView | null,
    review: t.resolvedBy && t.resolvedAt ? { resolved_by: t.resolvedBy, reason: t.resolutionReason ?? '', resolved_at: t.resolvedAt.toISOString() } : null,
  };
}
