/** An upload refused with an HTTP status; rendered in the upload envelope. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
