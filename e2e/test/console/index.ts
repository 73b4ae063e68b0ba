import type { Journey } from './journey';
import { overviewJourneys } from './overview.journey';

/** Every page's journeys; each page's file adds its own here. */
export const JOURNEYS: Journey[] = [...overviewJourneys];
