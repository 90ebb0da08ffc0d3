import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { defaultConsoleDir } from '../api/console-router';
import { apiKeyOf, type Caller } from './stack-credentials';

/** Where each page's screenshot goes (gitignored): test artefacts a CI keeps. */
export const artefactsDir = path.resolve(__dirname, '..', 'artefacts', 'screenshots');

/** Debian's Chromium (scripts/install-chromium.sh installs it), headless; never a browser downloaded by a library. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(path.join(defaultConsoleDir, 'index.html'))) throw new Error('the console is not built: run `npm run build` (npm test does)');
  let executablePath: string;
  try {
    executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no chromium on PATH: run `bash scripts/install-chromium.sh` (npm test does; it installs Debian\'s chromium package)');
  }
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artefactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artefactsDir, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page as a person would: the key in its field, then the button. */
export async function signInThroughPage(page: Page, as: Caller): Promise<void> {
  await page.getByLabel('Kunci API').fill(apiKeyOf(as));
  await page.getByRole('button', { name: 'Masuk' }).click();
}

/** A fresh browser context (own cookies, Bahasa Indonesia by default) on the stack, signed in as `as`. */
export async function signedInPage(browser: Browser, apiUrl: string, as: Caller, path = '/'): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: apiUrl, locale: 'id-ID' })).newPage();
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
  await signInThroughPage(page, as);
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  return page;
}
