import { CreateFilesAndJobs1767312000000 } from './1767312000000-create-files-and-jobs';
import { NotifyJobChanges1767700000000 } from './1767700000000-notify-job-changes';

/** Migrations of the translator schema, in order. */
export const TRANSLATOR_MIGRATIONS: Function[] = [CreateFilesAndJobs1767312000000, NotifyJobChanges1767700000000];
