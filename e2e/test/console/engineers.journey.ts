import type { Journey } from './journey';

export const engineersJourneys: Journey[] = [];
