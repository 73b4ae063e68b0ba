import { CreateFace1767500000000 } from './1767500000000-create-face';

/** Migrations of the face schema, in order. */
export const FACE_MIGRATIONS: Function[] = [CreateFace1767500000000];
