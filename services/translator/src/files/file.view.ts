import type { UploadedFileData } from '@fleet/contracts';

/** A stored upload: pass `file_id` to a new job. */
export class UploadedFileView implements UploadedFileData {
  /** The name the client gave the file. */
  filename!: string;
  /** The type ffprobe found in the content (not the one the client claimed). */
  content_type!: string;
  /** Bytes. */
  size!: number;
  /** ISO 8601 date-time. */
  upload_time!: string;
  file_id!: string;
}
