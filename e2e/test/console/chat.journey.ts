import type { Journey } from './journey';

export const chatJourneys: Journey[] = [];
