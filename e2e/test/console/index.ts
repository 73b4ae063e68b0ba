import type { Journey } from './journey';
import { chatJourneys } from './chat.journey';
import { dronesJourneys } from './drones.journey';
import { engineersJourneys } from './engineers.journey';
import { overviewJourneys } from './overview.journey';
import { robotsJourneys } from './robots.journey';
import { shopsJourneys } from './shops.journey';
import { ticketsJourneys } from './tickets.journey';
import { toolsJourneys } from './tools.journey';
import { translationsJourneys } from './translations.journey';

/** Every page's journeys, in the navigation's order. */
export const JOURNEYS: Journey[] = [
  ...overviewJourneys,
  ...ticketsJourneys,
  ...robotsJourneys,
  ...engineersJourneys,
  ...shopsJourneys,
  ...toolsJourneys,
  ...dronesJourneys,
  ...translationsJourneys,
  ...chatJourneys,
];
