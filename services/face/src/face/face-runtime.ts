import { FaceConfig } from '../config/face.config';
import { VectorIndex } from '../index/vector-index';
import { loadFaceModels } from '../pipeline/face-models';
import { FacePipeline } from '../pipeline/face-pipeline';

/** Injection tokens of the loaded models and the index (made once per process, at boot). */
export const FACE_PIPELINE = Symbol('FACE_PIPELINE');
export const VECTOR_INDEX = Symbol('VECTOR_INDEX');

export async function createFacePipeline(config: FaceConfig): Promise<FacePipeline> {
  const models = await loadFaceModels(config.models, config.models.threads);
  return new FacePipeline(models, config.detection);
}

export function createVectorIndex(config: FaceConfig, pipeline: FacePipeline): VectorIndex {
  return new VectorIndex(config.chroma.url, config.chroma.collectionPrefix, pipeline.modelVersion);
}
