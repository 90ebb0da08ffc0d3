import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'sinergi_session';

/** One cookie's value from a Cookie header (the first of that name, as the most specific path comes first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const sessionIdOf = (req: Request) => readCookie(req.get('cookie'), SESSION_COOKIE);

/**
 * Script cannot read it (HttpOnly) and no other site's page can send it (SameSite=Strict).
 * Secure over https, and always when the API is reached over https through a proxy that ends TLS.
 */
function attributes(req: Request, alwaysSecure: boolean) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure || alwaysSecure } as const;
}

export function setSessionCookie(req: Request, res: Response, id: string, maxAgeSeconds: number, alwaysSecure: boolean): void {
  res.cookie(SESSION_COOKIE, id, { ...attributes(req, alwaysSecure), maxAge: maxAgeSeconds * 1000 });
}

export function clearSessionCookie(req: Request, res: Response, alwaysSecure: boolean): void {
  res.cookie(SESSION_COOKIE, '', { ...attributes(req, alwaysSecure), maxAge: 0 });
}
