import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';

describe('projects and API keys', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('rejects a request without a key with 401 and the field', async () => {
    const response = await t.http.get('/v1/project').expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: expect.any(String),
      field: 'Authorization',
    });
  });

  it('rejects an unknown key', async () => {
    const response = await t.http.get('/v1/project').set(t.bearer('mk_live_nope')).expect(401);
    expect(response.body.code).toBe('INVALID_API_KEY');
  });

  it('lets the operator create a project and a key, and the key authenticates as that project', async () => {
    const { projectId, apiKey } = await t.createProject('Shop');
    expect(apiKey).toMatch(/^mk_live_[A-Za-z0-9_-]{43}$/);
    const me = await t.http.get('/v1/project').set(t.bearer(apiKey)).expect(200);
    expect(me.body).toMatchObject({ id: projectId, name: 'Shop' });
    const keys = await t.http.get(`/v1/projects/${projectId}/keys`).set(t.bearer(t.operatorKey)).expect(200);
    expect(keys.body.items).toHaveLength(1);
    expect(keys.body.items[0].prefix).toBe(apiKey.slice(0, 14));
    expect(JSON.stringify(keys.body)).not.toContain(apiKey);
  });

  it('keeps operator actions for the operator key', async () => {
    const { apiKey } = await t.createProject();
    const response = await t.http.post('/v1/projects').set(t.bearer(apiKey)).send({ name: 'x' }).expect(403);
    expect(response.body.code).toBe('OPERATOR_KEY_REQUIRED');
    const asOperator = await t.http.get('/v1/project').set(t.bearer(t.operatorKey)).expect(403);
    expect(asOperator.body.code).toBe('PROJECT_KEY_REQUIRED');
  });

  it('answers bad input with 400, a code and the field', async () => {
    const missing = await t.http.post('/v1/projects').set(t.bearer(t.operatorKey)).send({}).expect(400);
    expect(missing.body).toMatchObject({ statusCode: 400, code: 'REQUIRED', field: 'name' });
    const long = await t.http
      .post('/v1/projects')
      .set(t.bearer(t.operatorKey))
      .send({ name: 'x'.repeat(101) })
      .expect(400);
    expect(long.body).toMatchObject({ code: 'TOO_LONG', field: 'name' });
    const unknown = await t.http
      .post('/v1/projects')
      .set(t.bearer(t.operatorKey))
      .send({ name: 'ok', color: 'red' })
      .expect(400);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'color' });
    const badJson = await t.http
      .post('/v1/projects')
      .set(t.bearer(t.operatorKey))
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(badJson.body).toMatchObject({ statusCode: 400, code: 'INVALID_JSON' });
  });

  it('answers 404 for unknown and malformed project ids', async () => {
    for (const id of ['6f1d2c1e-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await t.http
        .post(`/v1/projects/${id}/keys`)
        .set(t.bearer(t.operatorKey))
        .send({})
        .expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('revokes a key', async () => {
    const { projectId, apiKey } = await t.createProject();
    const keys = await t.http.get(`/v1/projects/${projectId}/keys`).set(t.bearer(t.operatorKey)).expect(200);
    const keyId = keys.body.items[0].id as string;
    const revoked = await t.http
      .delete(`/v1/projects/${projectId}/keys/${keyId}`)
      .set(t.bearer(t.operatorKey))
      .expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await t.http.get('/v1/project').set(t.bearer(apiKey)).expect(401);
    // A key id of another project is not found through this one.
    const other = await t.createProject();
    await t.http
      .delete(`/v1/projects/${other.projectId}/keys/${keyId}`)
      .set(t.bearer(t.operatorKey))
      .expect(404);
  });

  it('lists projects for the operator', async () => {
    const { projectId } = await t.createProject('Listed');
    const list = await t.http.get('/v1/projects').set(t.bearer(t.operatorKey)).expect(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: projectId, name: 'Listed' })]),
    );
  });

  it('serves health and the API docs without a key', async () => {
    await t.http.get('/health/live').expect(200);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.checks.database.status).toBe('up');
    const docs = await t.http.get('/docs-json').expect(200);
    expect(docs.body.paths['/v1/projects']).toBeDefined();
    expect(t.http.get('/docs').expect(200)).toBeDefined();
  });
});
