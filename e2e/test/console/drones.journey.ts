import type { Journey } from './journey';

export const dronesJourneys: Journey[] = [];
