/**
 * The console's browser tests: Debian's chromium driven by playwright-core (Playwright's own
 * browser download cannot work on these machines), against a fleet the e2e harness started with
 * its identity provider, through nginx, signing in through the real login page.
 *
 *   const browser = await launchConsoleBrowser(fleet);
 *   const operator = await browser.signIn('operator');
 *   await operator.open('/tickets');
 *   ...
 *   operator.assertNoPageErrors();
 *
 * Each signed-in page records uncaught errors and console errors (a test asserts there are none)
 * and saves screenshots into logs/screenshots/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '@fleet/local-fleet';
import { REALM_USERS, type TestFleet } from './test-fleet';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'logs', 'screenshots');

/** How long a step waits for the console to show something (a loaded machine boots slowly; a passing step returns at once). */
export const UI_TIMEOUT_MS = 30_000;

export interface ConsoleSession {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and `console.error` lines seen so far. */
  errors: string[];
  /** Navigates within the console (`/tickets`) and waits for the page's heading. */
  open(pathname: string, heading?: string | RegExp): Promise<void>;
  /** A full-page PNG in logs/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** Signs in through the login page (from `/`) as the realm's operator or admin, until the overview shows. */
  signIn(role?: 'operator' | 'admin'): Promise<void>;
  /** Fails with every error the page logged (uncaught exceptions, console errors). */
  assertNoPageErrors(allowed?: RegExp[]): void;
  close(): Promise<void>;
}

export interface ConsoleBrowser {
  browser: Browser;
  /** A new browser context signed in through the login page as the realm's operator or admin. */
  signIn(role?: 'operator' | 'admin', viewport?: { width: number; height: number }): Promise<ConsoleSession>;
  /** A new context, not signed in and nowhere yet: for tests that prepare the page first (its clock, scripts). */
  newSession(viewport?: { width: number; height: number }): Promise<ConsoleSession>;
  close(): Promise<void>;
}

export async function launchConsoleBrowser(fleet: Pick<TestFleet, 'gatewayUrl'>): Promise<ConsoleBrowser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Fake camera and microphone: the engineers page's webcam enrollment calls getUserMedia.
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });

  const newSession = async (viewport = { width: 1400, height: 900 }): Promise<ConsoleSession> => {
    const context = await browser.newContext({ baseURL: fleet.gatewayUrl, viewport });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    return {
      page,
      context,
      errors,
      open: async (pathname, heading) => {
        await page.goto(pathname);
        if (heading) await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      },
      signIn: async (role = 'operator') => {
        await page.goto('/');
        // keycloak-js sends the browser to the provider's login page (Keycloak's field ids).
        await page.locator('#username').fill(REALM_USERS[role].username);
        await page.locator('#password').fill(REALM_USERS[role].password);
        await page.locator('#kc-login').click();
        await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
      },
      screenshot: async (name) => {
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      assertNoPageErrors: (allowed = []) => {
        const unexpected = errors.filter((line) => !allowed.some((pattern) => pattern.test(line)));
        assert.deepEqual(unexpected, [], `the page logged errors:\n${unexpected.join('\n')}`);
      },
      close: () => context.close(),
    };
  };

  return {
    browser,
    newSession,
    signIn: async (role = 'operator', viewport) => {
      const session = await newSession(viewport);
      await session.signIn(role);
      return session;
    },
    close: () => browser.close(),
  };
}
