import { CreateVideo1767312000000 } from './1767312000000-create-video';

/** Migrations of the video schema, in order. */
export const VIDEO_MIGRATIONS: Function[] = [CreateVideo1767312000000];
