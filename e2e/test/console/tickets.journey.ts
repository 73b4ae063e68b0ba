import type { Journey } from './journey';

export const ticketsJourneys: Journey[] = [];
