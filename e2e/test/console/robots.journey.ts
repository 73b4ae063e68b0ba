import type { Journey } from './journey';

export const robotsJourneys: Journey[] = [];
