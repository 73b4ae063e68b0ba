/** Which predict route a set of dropped files goes to, and under which multipart field. */
export type UploadPlan = { path: '/vision_api/predict'; field: 'image' } | { path: '/vision_api/predict/batch'; field: 'images' } | { path: '/vision_api/predict/zip'; field: 'zip_file' };

export const isZip = (file: File) => /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';

/** One photo, several photos, or one ZIP archive; anything else is a mistake to explain. */
export function planUpload(files: readonly File[]): UploadPlan | { error: string } {
  const zips = files.filter(isZip).length;
  if (files.length === 0) return { error: 'Choose one photo, several photos, or one ZIP archive of photos.' };
  if (zips > 1 || (zips === 1 && files.length > 1)) return { error: 'Send one ZIP archive on its own (or photos without an archive).' };
  if (zips === 1) return { path: '/vision_api/predict/zip', field: 'zip_file' };
  return files.length === 1 ? { path: '/vision_api/predict', field: 'image' } : { path: '/vision_api/predict/batch', field: 'images' };
}
