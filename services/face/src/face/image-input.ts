import { FaceImageRejection, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { decodeImage, DecodedImage, ImageRejectedError } from '../pipeline/image-decoder';

/** The InvalidParams error for refused images; `data.rejections` says which image and why. */
export function imagesRejected(rejections: FaceImageRejection[]): RpcError {
  const summary = rejections.map((r) => `image ${r.index}: ${r.message}`).join('; ');
  return new RpcError(RpcErrorCode.InvalidParams, `Image refused (${summary})`, { rejections });
}

/** An image file's bytes to pixels, or the rejection of image `index`. */
export async function decodeImageAt(bytes: Buffer, index: number, maxPixels: number): Promise<DecodedImage | FaceImageRejection> {
  try {
    return await decodeImage(bytes, maxPixels);
  } catch (error) {
    if (error instanceof ImageRejectedError) return { index, reason: error.reason, message: error.message };
    throw error;
  }
}

export function isRejection(value: DecodedImage | FaceImageRejection): value is FaceImageRejection {
  return 'reason' in value;
}

/** Decodes one image or throws the InvalidParams error naming why it was refused. */
export async function decodeOrThrow(bytes: Buffer, index: number, maxPixels: number): Promise<DecodedImage> {
  const decoded = await decodeImageAt(bytes, index, maxPixels);
  if (isRejection(decoded)) throw imagesRejected([decoded]);
  return decoded;
}
