import { CreateVision1767312000000 } from './1767312000000-create-vision';

/** Migrations of the vision schema, in order. */
export const VISION_MIGRATIONS: Function[] = [CreateVision1767312000000];
