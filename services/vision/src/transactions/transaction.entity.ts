import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VISION_SCHEMA } from '../database/vision.schema';

export enum TransactionStatus {
  Issued = 'issued',
  Complete = 'complete',
  Incomplete = 'incomplete',
  NeedsReview = 'needs_review',
}

/**
 * One loan of a toolkit: issued to an engineer, later returned with photos. At most one open loan
 * per toolkit, enforced by a partial unique index (not by a read-then-write in code).
 */
@Entity({ schema: VISION_SCHEMA, name: 'toolkit_transaction' })
@Index('toolkit_transaction_one_open_loan', ['toolkitId'], { unique: true, where: `returned_at IS NULL` })
export class TransactionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'toolkit_id', type: 'uuid' })
  toolkitId!: string;

  @Column({ name: 'engineer_id', type: 'uuid' })
  engineerId!: string;

  @Column({ type: 'text' })
  status!: TransactionStatus;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  /** Token subject of the robot or operator that issued it. */
  @Column({ name: 'issued_by', type: 'text' })
  issuedBy!: string;

  @Column({ name: 'returned_at', type: 'timestamptz', nullable: true })
  returnedAt!: Date | null;

  @Column({ name: 'returned_by', type: 'text', nullable: true })
  returnedBy!: string | null;

  /** What the photos showed: the status the comparison gave before any review. */
  @Column({ name: 'detected_status', type: 'text', nullable: true })
  detectedStatus!: TransactionStatus | null;

  /** Per-tool comparison and per-photo results of the return. */
  @Column({ type: 'jsonb', nullable: true })
  comparison!: Record<string, unknown> | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolution_reason', type: 'text', nullable: true })
  resolutionReason!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
