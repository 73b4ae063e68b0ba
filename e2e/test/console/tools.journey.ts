import type { Journey } from './journey';

export const toolsJourneys: Journey[] = [];
