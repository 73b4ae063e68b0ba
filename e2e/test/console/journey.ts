import type { ConsoleBrowser, TestFleet } from '../../src';

/** What a console journey may use: the gateway (the only door), real tokens, the browser. */
export type JourneyFleet = Pick<TestFleet, 'gatewayUrl' | 'request' | 'token' | 'clientToken' | 'rtmpPort'>;

export interface JourneyContext {
  fleet: JourneyFleet;
  browser: ConsoleBrowser;
  /** A short random suffix for names this run creates (journeys may run against a shared dev fleet). */
  unique: string;
}

/**
 * One real journey through one console page: it signs in (`browser.signIn()`), does the page's
 * work as an operator would, asserts what the page shows, saves `<page>` screenshots, and ends
 * with `session.assertNoPageErrors()`.
 */
export interface Journey {
  /** The page (`tickets`): also the filter name for CONSOLE_JOURNEYS. */
  page: string;
  title: string;
  run(context: JourneyContext): Promise<void>;
}
