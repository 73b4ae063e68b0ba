/** A drone row as the repositories return it. */
export interface Drone {
  id: string;
  name: string;
  keycloakClientId: string;
  streamKey: string;
  keyRotatedAt: Date;
  record: boolean;
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Redis channel on which any instance announces that the set of valid stream keys changed. */
export const STREAM_KEYS_CHANNEL = 'video:stream-keys';
