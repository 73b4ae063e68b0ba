import type { ComponentType } from 'react';

export interface PageEntry {
  path: string;
  label: string;
  /** One line under the label in the navigation. */
  hint: string;
  load: () => Promise<{ default: ComponentType }>;
}

/** The console's pages, in navigation order; each loads as its own chunk. */
export const PAGES: PageEntry[] = [
  { path: '/', label: 'Overview', hint: 'The station at a glance', load: () => import('./overview/OverviewPage') },
  { path: '/tickets', label: 'Tickets', hint: 'Tickets, checks, boarding', load: () => import('./tickets/TicketsPage') },
  { path: '/robots', label: 'Robots', hint: 'Registry and live state', load: () => import('./robots/RobotsPage') },
  { path: '/engineers', label: 'Engineers', hint: 'People, faces, logins', load: () => import('./engineers/EngineersPage') },
  { path: '/shops', label: 'Shops', hint: 'Shops, products, orders', load: () => import('./shops/ShopsPage') },
  { path: '/tools', label: 'Tools', hint: 'Toolkits, kit checks, loans', load: () => import('./tools/ToolsPage') },
  { path: '/drones', label: 'Drones', hint: 'Live video and telemetry', load: () => import('./drones/DronesPage') },
  { path: '/translations', label: 'Translations', hint: 'Video translation jobs', load: () => import('./translations/TranslationsPage') },
  { path: '/chat', label: 'Chat', hint: 'Operator rooms', load: () => import('./chat/ChatPage') },
];
