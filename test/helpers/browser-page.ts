import type { Locator, Page } from 'playwright-core';

/** playwright-core has no expect: wait for the element, failing the test with the locator if it never shows. */
export async function expectVisible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

/** The value beside a term of a facts list (in the page or a part of it), once it shows. */
export async function factOf(scope: Page | Locator, term: string): Promise<string> {
  const value = scope.locator(`dt:text-is("${term}") + dd`).first();
  await expectVisible(value);
  return value.innerText();
}

/** Each progress bar on the page: its name, value and maximum as the page shows them. */
export async function progressBars(page: Page): Promise<{ name: string; value: string | null; max: string | null }[]> {
  return Promise.all(
    (await page.getByRole('progressbar').all()).map(async (bar) => ({
      name: (await bar.getAttribute('aria-label')) ?? '',
      value: await bar.getAttribute('value'),
      max: await bar.getAttribute('max'),
    })),
  );
}

export interface PageAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
}

/**
 * A request made by the page's own script, as any script running on it could: same origin, so
 * the browser adds the session cookie; headers only those given (no CSRF token unless given).
 */
export async function fetchFromPage(page: Page, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<PageAnswer> {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    { method, path, body, headers },
  );
}

/** The CSRF token of the page's session, read as the console reads it (GET /v1/session with the cookie). */
export async function csrfTokenOfPage(page: Page): Promise<string> {
  const session = await fetchFromPage(page, 'GET', '/v1/session');
  if (session.status !== 200) throw new Error(`no session on the page: ${session.status} ${JSON.stringify(session.body)}`);
  return session.body.csrfToken as string;
}

/** The texts a control is described by (aria-describedby): its hint and, once refused, the API's message beside it. */
export async function descriptionsOf(control: Locator): Promise<string[]> {
  // Typed by hand: the tests' tsconfig has no DOM library.
  type DescribedElement = { getAttribute(name: string): string | null; ownerDocument: { getElementById(id: string): { textContent: string | null } | null } };
  return control.evaluate((el: DescribedElement) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? `(no element #${id})`),
  );
}
