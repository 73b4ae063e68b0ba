import { CreateChat1767225600000 } from './1767225600000-create-chat';
import { CreateTicketsEngineersRobots1767400000000 } from './1767400000000-create-tickets-engineers-robots';
import { CreateFaceLogins1767600000000 } from './1767600000000-create-face-logins';

/** Migrations of the base schema, in order. */
export const BASE_MIGRATIONS: Function[] = [CreateChat1767225600000, CreateTicketsEngineersRobots1767400000000, CreateFaceLogins1767600000000];
