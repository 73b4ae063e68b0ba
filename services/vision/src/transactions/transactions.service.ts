import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '@fleet/auth';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Page } from '@fleet/contracts';
import { DatabaseConflictCode, isConflict, toPage } from '@fleet/database';
import { EngineersRepository } from '../engineers/engineers.repository';
import { compareKit } from '../predict/kit-comparison';
import { PredictService, UploadedImage } from '../predict/predict.service';
import { returnStatus } from './return-status';
import { TransactionStatus } from './transaction.entity';
import { IssueToolkitDto, ListTransactionsDto, ResolveReviewDto, ReturnFieldsDto } from './transactions.dto';
import { mapTransaction, TransactionView } from './transactions.view';
import { TransactionsRepository } from './transactions.repository';

/** Issue and return of toolkits, and operators' review decisions. */
@Injectable()
export class TransactionsService {
  private readonly logger = new Logger(TransactionsService.name);

  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly engineers: EngineersRepository,
    private readonly catalogue: CatalogueService,
    private readonly predictions: PredictService,
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
  ) {}

  async issue(user: AuthUser, dto: IssueToolkitDto): Promise<TransactionView> {
    const engineer = await this.engineers.getById(dto.engineer_id);
    if (!engineer) throw new NotFoundException(`Engineer ${dto.engineer_id} is not known (engineers come from base)`);
    if (!engineer.active) throw new ConflictException(`Engineer ${dto.engineer_id} is deactivated`);
    await this.catalogue.getToolkit(dto.toolkit_id);
    try {
      const row = await this.transactions.create({ toolkitId: dto.toolkit_id, engineerId: dto.engineer_id, status: TransactionStatus.Issued, issuedAt: new Date(), issuedBy: user.sub });
      this.logger.log(`Toolkit ${dto.toolkit_id} issued to engineer ${dto.engineer_id} by ${user.sub} (transaction ${row.id})`);
      return mapTransaction(row);
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException(`Toolkit ${dto.toolkit_id} is already issued and not returned yet`);
      throw error;
    }
  }

  /** Compares the returned kit's photos with its contents and closes the loan with the outcome. */
  async return(user: AuthUser, id: string, photos: UploadedImage[] | undefined, fields: ReturnFieldsDto): Promise<TransactionView> {
    try {
      if (!photos?.length) throw new BadRequestException('A return needs at least one photo of the opened kit (multipart field "images")');
      const loan = await this.transactions.getById(id);
      if (!loan) throw new NotFoundException(`Transaction ${id} not found`);
      if (loan.returnedAt) throw new ConflictException(`Transaction ${id} was already returned`);
      const expected = (await this.catalogue.expectationsOf(loan.toolkitId)) ?? [];
      const results = await this.predictions.detectFiles(photos, fields.confidence ?? 0.5);
      const comparison = compareKit(loan.toolkitId, expected, results.filter((r) => r.success).map((r) => r.detections));
      const outcome = returnStatus(results, comparison, this.config.vision.reviewConfidence);
      const stored = { ...comparison, reasons: outcome.reasons, photos: results.map(({ comparison: _c, ...photo }) => photo) };
      const closed = await this.transactions.closeIfOpen(id, { status: outcome.status, detectedStatus: outcome.status, returnedAt: new Date(), returnedBy: user.sub, comparison: stored });
      if (!closed) throw new ConflictException(`Transaction ${id} was already returned`);
      this.logger.log(`Toolkit ${loan.toolkitId} returned (transaction ${id}): ${outcome.status}${outcome.reasons.length ? ` (${outcome.reasons.join('; ')})` : ''}`);
      return this.get(id);
    } finally {
      await this.predictions.discard(photos);
    }
  }

  async resolve(user: AuthUser, id: string, dto: ResolveReviewDto): Promise<TransactionView> {
    const loan = await this.transactions.getById(id);
    if (!loan) throw new NotFoundException(`Transaction ${id} not found`);
    const resolved = await this.transactions.resolveIfInReview(id, { status: dto.status, resolvedBy: user.sub, resolutionReason: dto.reason, resolvedAt: new Date() });
    if (!resolved) throw new ConflictException(`Transaction ${id} is ${loan.status}, not under review`);
    this.logger.log(`Review of transaction ${id} resolved as ${dto.status} by ${user.sub}: ${dto.reason}`);
    return this.get(id);
  }

  async get(id: string): Promise<TransactionView> {
    const loan = await this.transactions.getById(id);
    if (!loan) throw new NotFoundException(`Transaction ${id} not found`);
    return mapTransaction(loan);
  }

  async list(query: ListTransactionsDto): Promise<Page<TransactionView>> {
    const [rows, total] = await this.transactions.list({ status: query.status, toolkitId: query.toolkit_id, engineerId: query.engineer_id }, query);
    return toPage(rows.map(mapTransaction), total, query);
  }
}
