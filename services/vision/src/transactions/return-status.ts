import type { PhotoResultView } from '../predict/predict.view';
import type { KitComparison } from '../predict/kit-comparison';
import { TransactionStatus } from './transaction.entity';

/**
 * The outcome of a return's photos, in order of precedence:
 * - a photo that could not be read, or any counted detection scoring below the review confidence:
 *   the count itself is doubtful -> needs_review;
 * - a tool missing -> incomplete;
 * - a tool that does not belong to the kit (extra) -> needs_review;
 * - otherwise complete.
 */
export function returnStatus(photos: readonly PhotoResultView[], comparison: KitComparison, reviewConfidence: number): { status: TransactionStatus; reasons: string[] } {
  const reasons: string[] = [];
  const unreadable = photos.filter((p) => !p.success).length;
  if (unreadable) reasons.push(`${unreadable} photo(s) could not be analysed`);
  const doubtful = comparison.lines.filter((l) => l.confidence !== null && l.confidence < reviewConfidence);
  if (doubtful.length) reasons.push(`low confidence for ${doubtful.map((l) => l.class_name).join(', ')}`);
  if (reasons.length) return { status: TransactionStatus.NeedsReview, reasons };
  if (comparison.missing_total > 0) {
    return { status: TransactionStatus.Incomplete, reasons: comparison.lines.filter((l) => l.missing > 0).map((l) => `missing ${l.missing} ${l.class_name}`) };
  }
  if (comparison.extra_total > 0) {
    return { status: TransactionStatus.NeedsReview, reasons: comparison.lines.filter((l) => l.extra > 0).map((l) => `extra ${l.extra} ${l.class_name}`) };
  }
  return { status: TransactionStatus.Complete, reasons: [] };
}
