/** Server-side tunables of the chat (the client-visible limits live in @fleet/contracts). */

/** Where the service serves the socket; the gateway exposes it as `/base_api/ws`. */
export const CHAT_WS_PATH = '/ws';

/** One Redis channel for every room: all instances host lobby members, so per-room channels would save nothing. */
export const CHAT_REDIS_CHANNEL = 'base:chat:v1';

/** A frame above this is refused by `ws` itself (close 1009) before it is buffered whole. */
export const CHAT_WS_MAX_PAYLOAD = 64 * 1024;

/** A socket whose unsent bytes pass this is closed (4408): memory per client stays bounded. */
export const CHAT_MAX_BUFFERED_BYTES = 512 * 1024;
/** A resuming client gets its next backlog page only once its buffer is below this. */
export const CHAT_RESUME_LOW_WATER_BYTES = 64 * 1024;
/** Backlog rows read per query while resuming or filling a gap. */
export const CHAT_BACKLOG_PAGE = 500;

/** An out-of-order message waits this long for the missing ones before they are read from Postgres. */
export const CHAT_GAP_WAIT_MS = 100;
/**
 * Every this often each instance compares its rooms' `last_seq` with what it delivered; a seq that
 * stayed missing for a whole period (lost pub/sub message, Redis down, publisher crashed between
 * commit and publish) is read from Postgres. While Redis is down it fills at once, every period.
 */
export const CHAT_RECONCILE_INTERVAL_MS = 1000;

/** Ping period; a socket that did not answer the previous ping is terminated (half-open TCP). */
export const CHAT_HEARTBEAT_MS = 30_000;
