import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EnrollFaceParams, EnrollFaceResult, FaceImageRejection, ForgetFaceParams, ForgetFaceResult, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { FACE_CONFIG, FaceConfig } from '../config/face.config';
import { VectorIndex } from '../index/vector-index';
import { FacePipeline } from '../pipeline/face-pipeline';
import { NewTemplate, TemplateRepository } from '../templates/template.repository';
import { decodeImageAt, imagesRejected, isRejection } from './image-input';
import { checkEnrollQuality, faceSizeOf } from './quality-gates';
import { FACE_PIPELINE, VECTOR_INDEX } from './face-runtime';

/** A uuid that is the same for every delivery of one message: redelivery never duplicates a template. */
function templateIdFor(messageId: string, personId: string, index: number): string {
  const hex = createHash('sha256').update(`${messageId}\n${personId}\n${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Enroll and forget: the writes, Postgres first as the source of truth, ChromaDB as its search copy. */
@Injectable()
export class EnrollmentService {
  private readonly logger = new Logger(EnrollmentService.name);

  constructor(
    @Inject(FACE_CONFIG) private readonly config: FaceConfig,
    @Inject(FACE_PIPELINE) private readonly pipeline: FacePipeline,
    @Inject(VECTOR_INDEX) private readonly index: VectorIndex,
    private readonly templates: TemplateRepository,
  ) {}

  async enroll(params: EnrollFaceParams, messageId: string): Promise<EnrollFaceResult> {
    const started = Date.now();
    const accepted: NewTemplate[] = [];
    const rejections: FaceImageRejection[] = [];
    for (const [i, bytes] of params.images.entries()) {
      const image = await decodeImageAt(bytes, i, this.config.images.maxPixels);
      if (isRejection(image)) {
        rejections.push(image);
        continue;
      }
      const face = checkEnrollQuality(await this.pipeline.detect(image), i, this.config.enroll);
      if ('reason' in face) {
        rejections.push(face);
        continue;
      }
      const embedding = await this.pipeline.embed(image, face);
      accepted.push({ id: templateIdFor(messageId, params.personId, i), embedding, detectionScore: face.score, faceSize: faceSizeOf(face) });
    }
    // All or nothing: an operator re-takes the refused photos rather than getting half an enrollment.
    if (rejections.length > 0) throw imagesRejected(rejections);

    const modelVersion = this.pipeline.modelVersion;
    const total = await this.templates.saveEnrollment(params.personId, modelVersion, accepted);
    try {
      await this.index.upsert(accepted.map((t) => ({ id: t.id, personId: params.personId, embedding: t.embedding })));
    } catch (error) {
      await this.templates.deleteTemplates(params.personId, accepted.map((t) => t.id));
      throw new RpcError(RpcErrorCode.Unavailable, `The vector index is unavailable, nothing was enrolled: ${(error as Error).message}`);
    }
    this.logger.log(`enrolled ${params.personId}: ${accepted.length} template(s), ${total} in all, in ${Date.now() - started} ms`);
    return {
      personId: params.personId,
      modelVersion,
      templates: accepted.map((t) => ({ templateId: t.id, faceSize: t.faceSize, detectionScore: Math.round(t.detectionScore * 10_000) / 10_000 })),
      totalTemplates: total,
    };
  }

  /**
   * Removes the person's vectors from ChromaDB, then the person and every template from Postgres.
   * In that order: if the second step fails the caller retries, and meanwhile nothing can match
   * them. A failure of either step is an unexpected error, so the message is retried.
   */
  async forget(params: ForgetFaceParams): Promise<ForgetFaceResult> {
    await this.index.deletePerson(params.personId);
    const { existed, templates } = await this.templates.forgetPerson(params.personId);
    this.logger.log(`forgot ${params.personId}: ${templates} template(s) removed`);
    return { personId: params.personId, existed, templatesRemoved: templates };
  }
}
