/** One recorded MP4 segment of a drone's stream (the one being written is listed too, growing). */
export class RecordingView {
  /** `<UTC start>-<session id>-<segment>.mp4`. */
  file!: string;
  session_id!: string;
  segment!: number;
  size_bytes!: number;
  modified_at!: string;
  /** Where to download it through the gateway (operator token). */
  url!: string;
}
