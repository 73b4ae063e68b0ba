/** A signed play URL: a player that cannot send headers (a <video> tag, ffplay) opens it as is. */
export class PlayUrlView {
  /** `/live/<drone id>.flv?exp=…&sig=…`, relative to the gateway. */
  url!: string;
  /** When the URL stops working (a player already attached keeps playing). */
  expires_at!: string;
}
