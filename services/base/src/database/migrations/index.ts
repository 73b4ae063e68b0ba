import { CreateChat1767225600000 } from './1767225600000-create-chat';
import { CreateTicketsEngineersRobots1767400000000 } from './1767400000000-create-tickets-engineers-robots';
import { CreateFaceLogins1767600000000 } from './1767600000000-create-face-logins';
import { CreateBoardingDecisions1767600001000 } from './1767600001000-create-boarding-decisions';
import { EngineerEventsNamedByProducer1767700000000 } from './1767700000000-engineer-events-named-by-producer';

/** Migrations of the base schema, in order. */
export const BASE_MIGRATIONS: Function[] = [
  CreateChat1767225600000, CreateTicketsEngineersRobots1767400000000, CreateFaceLogins1767600000000, CreateBoardingDecisions1767600001000,
  EngineerEventsNamedByProducer1767700000000,
];
