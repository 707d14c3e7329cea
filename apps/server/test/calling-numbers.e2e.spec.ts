import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp, TestProject } from './test-app';

describe('calling numbers', () => {
  let t: TestApp;
  let project: TestProject;

  beforeAll(async () => {
    t = await startTestApp();
    project = await t.createProject('Calling numbers');
  });

  afterAll(async () => {
    await t?.close();
  });

  const register = (p: TestProject, body: object) =>
    t.http.post('/v1/calling-numbers').set(t.bearer(p.apiKey)).send(body);
  const operator = (path: string, body: object = {}) =>
    t.http.post(path).set(t.bearer(t.operatorKey)).send(body);

  it('registers a number normalized to digits, READY, and lists it', async () => {
    const created = await register(project, { number: '02-1234-5678', method: 'SMS' }).expect(201);
    expect(created.body).toMatchObject({
      number: '0212345678',
      method: 'SMS',
      status: 'READY',
      rejectReason: null,
    });
    const list = await t.http.get('/v1/calling-numbers').set(t.bearer(project.apiKey)).expect(200);
    expect(list.body.items.map((n: { number: string }) => n.number)).toContain('0212345678');
    const one = await t.http
      .get(`/v1/calling-numbers/${created.body.id}`)
      .set(t.bearer(project.apiKey))
      .expect(200);
    expect(one.body.id).toBe(created.body.id);
  });

  it.each([
    [{ method: 'SMS' }, 400, 'REQUIRED', 'number'],
    [{ number: '0212345679' }, 400, 'REQUIRED', 'method'],
    [{ number: '0212345679', method: 'FAX' }, 400, 'INVALID_VALUE', 'method'],
    [{ number: 'abc', method: 'SMS' }, 400, 'INVALID_CALLING_NUMBER', 'number'],
    [{ number: '12345', method: 'DOCUMENT' }, 400, 'INVALID_CALLING_NUMBER', 'number'],
    [{ number: 12345678, method: 'SMS' }, 400, 'INVALID_STRING', 'number'],
  ])('refuses %j with %i %s on %s', async (body, status, code, field) => {
    const response = await register(project, body).expect(status);
    expect(response.body).toMatchObject({ statusCode: status, code, field });
  });

  it('refuses a duplicate with 409', async () => {
    await register(project, { number: '031-123-4567', method: 'SMS' }).expect(201);
    const duplicate = await register(project, { number: '0311234567', method: 'DOCUMENT' }).expect(409);
    expect(duplicate.body).toMatchObject({ code: 'CALLING_NUMBER_DUPLICATE', field: 'number' });
  });

  it('lets the operator approve and reject; decisions are final (409)', async () => {
    const a = await register(project, { number: '1588-1234', method: 'DOCUMENT' }).expect(201);
    const b = await register(project, { number: '010-2222-3333', method: 'SMS' }).expect(201);
    const approved = await operator(
      `/v1/projects/${project.projectId}/calling-numbers/${a.body.id}/approve`,
    ).expect(200);
    expect(approved.body.status).toBe('APPROVED');
    const rejected = await operator(`/v1/projects/${project.projectId}/calling-numbers/${b.body.id}/reject`, {
      reason: 'not the owner',
    }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: 'not the owner' });
    const again = await operator(
      `/v1/projects/${project.projectId}/calling-numbers/${a.body.id}/reject`,
    ).expect(409);
    expect(again.body.code).toBe('CALLING_NUMBER_TRANSITION_REFUSED');
    const filtered = await t.http
      .get('/v1/calling-numbers?status=APPROVED')
      .set(t.bearer(project.apiKey))
      .expect(200);
    expect(filtered.body.items.map((n: { number: string }) => n.number)).toEqual(['15881234']);
    // A rejected number may be registered again.
    await register(project, { number: '01022223333', method: 'DOCUMENT' }).expect(201);
  });

  it('keeps approval for the operator', async () => {
    const n = await register(project, { number: '051-123-4567', method: 'SMS' }).expect(201);
    const response = await t.http
      .post(`/v1/projects/${project.projectId}/calling-numbers/${n.body.id}/approve`)
      .set(t.bearer(project.apiKey))
      .expect(403);
    expect(response.body.code).toBe('OPERATOR_KEY_REQUIRED');
  });

  it('holds at most 10 numbers per project (rejected ones not counted), 422 at the 11th', async () => {
    const p = await t.createProject('Limit');
    for (let i = 0; i < 10; i++) {
      await register(p, { number: `02-555-00${String(i).padStart(2, '0')}`, method: 'SMS' }).expect(201);
    }
    const eleventh = await register(p, { number: '02-555-0010', method: 'SMS' }).expect(422);
    expect(eleventh.body).toMatchObject({
      statusCode: 422,
      code: 'CALLING_NUMBER_LIMIT_REACHED',
      field: 'number',
    });
    const first = (await t.http.get('/v1/calling-numbers').set(t.bearer(p.apiKey))).body.items[0];
    await operator(`/v1/projects/${p.projectId}/calling-numbers/${first.id}/reject`).expect(200);
    await register(p, { number: '02-555-0010', method: 'SMS' }).expect(201);
  });

  it('never shows one project another project’s numbers', async () => {
    const other = await t.createProject('Other');
    const mine = await register(project, { number: '02-777-8888', method: 'SMS' }).expect(201);
    const theirs = await t.http
      .get(`/v1/calling-numbers/${mine.body.id}`)
      .set(t.bearer(other.apiKey))
      .expect(404);
    expect(theirs.body.code).toBe('NOT_FOUND');
    const list = await t.http.get('/v1/calling-numbers').set(t.bearer(other.apiKey)).expect(200);
    expect(list.body.items).toEqual([]);
    // The other project may register the same number on its own.
    await register(other, { number: '02-777-8888', method: 'SMS' }).expect(201);
    // The operator cannot approve it through the wrong project either.
    await operator(`/v1/projects/${other.projectId}/calling-numbers/${mine.body.id}/approve`).expect(404);
  });

  it('answers 404 for malformed and unknown ids', async () => {
    await t.http.get('/v1/calling-numbers/xyz').set(t.bearer(project.apiKey)).expect(404);
    await t.http
      .get('/v1/calling-numbers/9b2f8f0e-1111-4222-8333-444455556666')
      .set(t.bearer(project.apiKey))
      .expect(404);
  });
});
