import type { Journey } from './journey';

export const shopsJourneys: Journey[] = [];
