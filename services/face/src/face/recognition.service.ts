import { Inject, Injectable } from '@nestjs/common';
import {
  DetectFacesParams,
  DetectFacesResult,
  FaceCandidate,
  FaceRejection,
  IdentifyFaceParams,
  IdentifyFaceResult,
  RpcErrorCode,
  VerifyFaceParams,
  VerifyFaceResult,
} from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { FACE_CONFIG, FaceConfig } from '../config/face.config';
import { VectorIndex } from '../index/vector-index';
import { cosine, FacePipeline, PipelineFace } from '../pipeline/face-pipeline';
import { DecodedImage } from '../pipeline/image-decoder';
import { TemplateRepository } from '../templates/template.repository';
import { mapFace } from './face-mapping';
import { stage } from './face.metrics';
import { decodeOrThrow, imagesRejected } from './image-input';
import { largestFace } from './quality-gates';
import { FACE_PIPELINE, VECTOR_INDEX } from './face-runtime';

const DEFAULT_TOP_K = 5;
/** Templates fetched per requested person: a person has several templates, results are grouped by person. */
const TEMPLATES_PER_PERSON = 4;
const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/** The read side: detect, identify (1:N over the index), verify (1:1 against Postgres). */
@Injectable()
export class RecognitionService {
  constructor(
    @Inject(FACE_CONFIG) private readonly config: FaceConfig,
    @Inject(FACE_PIPELINE) private readonly pipeline: FacePipeline,
    @Inject(VECTOR_INDEX) private readonly index: VectorIndex,
    private readonly templates: TemplateRepository,
  ) {}

  async detect(params: DetectFacesParams): Promise<DetectFacesResult> {
    const image = await decodeOrThrow(params.image, 0, this.config.images.maxPixels);
    const faces = await this.pipeline.detect(image);
    return { width: image.width, height: image.height, faces: faces.map(mapFace) };
  }

  /** The probe's embedding: of its largest face, since a robot's camera may catch a passer-by too. */
  private async probe(bytes: Buffer): Promise<{ image: DecodedImage; face: PipelineFace; embedding: Float32Array }> {
    const image = await stage('decode', () => decodeOrThrow(bytes, 0, this.config.images.maxPixels));
    const face = largestFace(await stage('detect', () => this.pipeline.detect(image)));
    if (!face) throw imagesRejected([{ index: 0, reason: FaceRejection.NoFace, message: 'no face found' }]);
    return { image, face, embedding: await stage('embed', () => this.pipeline.embed(image, face)) };
  }

  async identify(params: IdentifyFaceParams): Promise<IdentifyFaceResult> {
    const { face, embedding } = await this.probe(params.image);
    const topK = params.topK ?? DEFAULT_TOP_K;
    const hits = await stage('search', () => this.index.query(embedding, topK * TEMPLATES_PER_PERSON));
    const best = new Map<string, number>();
    for (const hit of hits) best.set(hit.personId, Math.max(best.get(hit.personId) ?? -1, hit.similarity));
    const candidates: FaceCandidate[] = [...best.entries()]
      .map(([personId, similarity]) => ({ personId, similarity: round4(similarity) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, topK);
    const threshold = this.config.match.threshold;
    const match = candidates.length > 0 && candidates[0].similarity >= threshold ? candidates[0] : null;
    return { candidates, match, threshold, modelVersion: this.pipeline.modelVersion, face: mapFace(face) };
  }

  /** 1:1 against the person's templates in Postgres (the source of truth; no index involved). */
  async verify(params: VerifyFaceParams): Promise<VerifyFaceResult> {
    const modelVersion = this.pipeline.modelVersion;
    const stored = await this.templates.getEmbeddings(params.personId, modelVersion);
    if (stored.length === 0) throw new RpcError(RpcErrorCode.NotFound, `No face templates of model ${modelVersion} for person ${params.personId}`);
    const { embedding } = await this.probe(params.image);
    const similarity = round4(Math.max(...stored.map((template) => cosine(template, embedding))));
    const threshold = this.config.match.threshold;
    return { personId: params.personId, match: similarity >= threshold, similarity, threshold, modelVersion };
  }
}
