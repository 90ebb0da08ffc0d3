import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineApp } from '../../dev/offline-app';

const html = 'text/html,application/xhtml+xml';

describe('the console served by the API', () => {
  let dir: string;
  let built: ReturnType<typeof offlineApp>;
  let unbuilt: ReturnType<typeof offlineApp>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sinergi-console-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>console index</title>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = offlineApp({ consoleDir: dir });
    unbuilt = offlineApp({ consoleDir: path.join(dir, 'absent') });
  });
  afterAll(async () => {
    await built?.close();
    await unbuilt?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['/', '/stuck', '/runs/run%3Ajember-2026%3A3509010101010001', '/agencies/kemensos/tasks', '/sign-in?next=%2Frollouts', '/no-such-page'])('answers a browser asking for %s with index.html, never cached', async (page) => {
    const res = await request(built.app).get(page).set('accept', html);
    expect(res.status).toBe(200);
    expect(res.text).toContain('console index');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets cached for a year, and a missing one as 404', async () => {
    const asset = await request(built.app).get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(built.app).get('/assets/index-gone.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('leaves the API, health and non-browser requests to the API', async () => {
    const api = await request(built.app).get('/v1/stuck').set('accept', html);
    expect(api.status).toBe(401);
    expect(api.body.error.fields).toEqual([{ field: 'headers.authorization', message: 'missing' }]);
    expect((await request(built.app).get('/healthz').set('accept', html)).body).toEqual({ status: 'ok' });
    expect((await request(built.app).get('/stuck').set('accept', 'application/json')).status).toBe(401);
    expect((await request(built.app).post('/stuck').set('accept', html)).status).toBe(401);
  });

  it('tells to run `npm run build` when the console is not built, with a 404, not a 5xx', async () => {
    const res = await request(unbuilt.app).get('/runs/x').set('accept', html);
    expect(res.status).toBe(404);
    expect(res.text).toContain('npm run build');
    expect(res.text).toContain('Konsol belum dibangun');
  });
});
