export interface FileRecord {
  id: string;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  format: string;
  duration_sec: number;
  has_video: boolean;
  uploaded_by: string;
  created_at: Date;
}
