import { CreateFilesAndJobs1767312000000 } from './1767312000000-create-files-and-jobs';

/** Migrations of the translator schema, in order. */
export const TRANSLATOR_MIGRATIONS: Function[] = [CreateFilesAndJobs1767312000000];
