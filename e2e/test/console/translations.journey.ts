import type { Journey } from './journey';

export const translationsJourneys: Journey[] = [];
