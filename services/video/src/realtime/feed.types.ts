import { VideoWsServerFrame } from '@fleet/contracts';

/** Redis channel carrying live-feed frames to every video instance's WebSocket clients. */
export const FEED_CHANNEL = 'video:feed';

/** One message on the feed channel: frames (in order) for the subscribers of one drone. */
export interface FeedMessage {
  drone_id: string;
  /** Telemetry frames may be dropped or sampled for slow clients; stream events never are. */
  droppable: boolean;
  frames: VideoWsServerFrame[];
}
