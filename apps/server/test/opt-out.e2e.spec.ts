import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp, TestProject } from './test-app';

describe('080 opt-out service and block list', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (p: TestProject) => t.bearer(p.apiKey);
  const apply = (p: TestProject, companyName: unknown) =>
    t.http.post('/v1/opt-out/service').set(as(p)).send({ companyName });
  const complete = (p: TestProject, number080: string) =>
    t.http
      .post(`/v1/projects/${p.projectId}/opt-out/service/complete`)
      .set(t.bearer(t.operatorKey))
      .send({ number080 });

  /** A project with a COMPLETE service. */
  async function completedProject(name = 'Complete'): Promise<TestProject> {
    const p = await t.createProject(name);
    await apply(p, '문자상사').expect(201);
    await complete(p, '080-123-4567').expect(200);
    return p;
  }

  describe('service', () => {
    it('applies (PROCESSING), refuses a second application, is completed by the operator', async () => {
      const p = await t.createProject();
      await t.http.get('/v1/opt-out/service').set(as(p)).expect(404);
      const applied = await apply(p, '  문자상사  ').expect(201);
      expect(applied.body).toMatchObject({
        status: 'PROCESSING',
        companyName: '문자상사',
        number080: null,
        generation: 1,
      });
      const again = await apply(p, 'Other').expect(409);
      expect(again.body).toMatchObject({ code: 'OPT_OUT_SERVICE_ALREADY_ACTIVE' });
      const done = await complete(p, '080-123-4567').expect(200);
      expect(done.body).toMatchObject({ status: 'COMPLETE', number080: '0801234567' });
      expect(done.body.completedAt).toEqual(t.clock.now().toISOString());
      const current = await t.http.get('/v1/opt-out/service').set(as(p)).expect(200);
      expect(current.body.status).toBe('COMPLETE');
      const seenByOperator = await t.http
        .get(`/v1/projects/${p.projectId}/opt-out/service`)
        .set(t.bearer(t.operatorKey))
        .expect(200);
      expect(seenByOperator.body).toEqual(current.body);
      await t.http.get(`/v1/projects/${p.projectId}/opt-out/service`).set(as(p)).expect(403);
    });

    it.each([
      ['가'.repeat(20), 201, undefined],
      ['가'.repeat(21), 400, 'COMPANY_NAME_TOO_LONG'],
      ['a'.repeat(21), 400, 'COMPANY_NAME_TOO_LONG'],
      ['', 400, 'COMPANY_NAME_EMPTY'],
      ['   ', 400, 'COMPANY_NAME_EMPTY'],
      [undefined, 400, 'REQUIRED'],
      [42, 400, 'INVALID_STRING'],
    ])('company name %j → %i %s', async (companyName, status, code) => {
      const p = await t.createProject();
      const response = await apply(p, companyName).expect(status);
      if (code) expect(response.body).toMatchObject({ statusCode: status, code, field: 'companyName' });
    });

    it('cancels only while PROCESSING; a new application starts a new generation', async () => {
      const p = await t.createProject();
      await apply(p, 'Shop').expect(201);
      const canceled = await t.http.post('/v1/opt-out/service/cancel').set(as(p)).expect(200);
      expect(canceled.body.status).toBe('CANCELED');
      const twice = await t.http.post('/v1/opt-out/service/cancel').set(as(p)).expect(409);
      expect(twice.body.code).toBe('OPT_OUT_SERVICE_TRANSITION_REFUSED');
      const second = await apply(p, 'Shop').expect(201);
      expect(second.body).toMatchObject({ status: 'PROCESSING', generation: 2 });
      await complete(p, '0801112222').expect(200);
      await t.http.post('/v1/opt-out/service/cancel').set(as(p)).expect(409);
    });

    it('refuses to complete anything but a PROCESSING service, and a bad 080 number', async () => {
      const p = await t.createProject();
      const none = await complete(p, '0801234567').expect(404);
      expect(none.body.code).toBe('NOT_FOUND');
      await apply(p, 'Shop').expect(201);
      const bad = await complete(p, '010-1234-5678').expect(400);
      expect(bad.body).toMatchObject({ code: 'INVALID_080_NUMBER', field: 'number080' });
      const missing = await t.http
        .post(`/v1/projects/${p.projectId}/opt-out/service/complete`)
        .set(t.bearer(t.operatorKey))
        .send({})
        .expect(400);
      expect(missing.body).toMatchObject({ code: 'REQUIRED', field: 'number080' });
      await complete(p, '0801234567').expect(200);
      const twice = await complete(p, '0801234567').expect(409);
      expect(twice.body.code).toBe('OPT_OUT_SERVICE_TRANSITION_REFUSED');
      // Only the operator completes.
      await t.http
        .post(`/v1/projects/${p.projectId}/opt-out/service/complete`)
        .set(as(p))
        .send({ number080: '0801234567' })
        .expect(403);
    });

    it('stops a COMPLETE service and erases its block list', async () => {
      const p = await completedProject();
      await t.http.post('/v1/opt-out/blocklist').set(as(p)).send({ number: '010-1234-5678' }).expect(201);
      const stopped = await t.http.post('/v1/opt-out/service/stop').set(as(p)).expect(200);
      expect(stopped.body.status).toBe('STOPPED');
      const list = await t.http.get('/v1/opt-out/blocklist').set(as(p)).expect(200);
      expect(list.body).toMatchObject({ items: [], total: 0 });
      await t.http.post('/v1/opt-out/service/stop').set(as(p)).expect(409);
      // A new subscription starts empty and the list is editable once it completes.
      await apply(p, 'Again').expect(201);
      const notYet = await t.http
        .post('/v1/opt-out/blocklist')
        .set(as(p))
        .send({ number: '01012345678' })
        .expect(409);
      expect(notYet.body.code).toBe('BLOCK_LIST_NOT_EDITABLE');
    });
  });

  it('never keeps an entry added while the service is being stopped', async () => {
    const p = await completedProject('Race');
    const adds = Array.from({ length: 8 }, (_, i) =>
      t.http
        .post('/v1/opt-out/blocklist')
        .set(as(p))
        .send({ number: `0107777000${i}` }),
    );
    const [stopped, ...added] = await Promise.all([
      t.http.post('/v1/opt-out/service/stop').set(as(p)),
      ...adds,
    ]);
    expect(stopped.status).toBe(200);
    for (const response of added) expect([201, 409]).toContain(response.status);
    const list = await t.http.get('/v1/opt-out/blocklist').set(as(p)).expect(200);
    expect(list.body.total).toBe(0);
  });

  describe('block list', () => {
    let p: TestProject;

    beforeAll(async () => {
      p = await completedProject('Block list');
    });

    it('adds numbers as digits (201), again is 200, lists them paginated, removes them', async () => {
      const added = await t.http
        .post('/v1/opt-out/blocklist')
        .set(as(p))
        .send({ number: '010-1234-5678' })
        .expect(201);
      expect(added.body).toMatchObject({ number: '01012345678', source: 'API' });
      await t.http.post('/v1/opt-out/blocklist').set(as(p)).send({ number: '01012345678' }).expect(200);
      for (const n of ['01000000001', '01000000002', '01000000003', '01000000004']) {
        await t.http.post('/v1/opt-out/blocklist').set(as(p)).send({ number: n }).expect(201);
      }
      const page1 = await t.http.get('/v1/opt-out/blocklist?page=1&size=2').set(as(p)).expect(200);
      const page3 = await t.http.get('/v1/opt-out/blocklist?page=3&size=2').set(as(p)).expect(200);
      expect(page1.body).toMatchObject({ page: 1, size: 2, total: 5 });
      expect(page1.body.items).toHaveLength(2);
      expect(page3.body.items).toHaveLength(1);
      const found = await t.http.get('/v1/opt-out/blocklist?number=010-0000-0003').set(as(p)).expect(200);
      expect(found.body.items.map((i: { number: string }) => i.number)).toEqual(['01000000003']);
      await t.http.delete('/v1/opt-out/blocklist/010-0000-0003').set(as(p)).expect(204);
      const gone = await t.http.delete('/v1/opt-out/blocklist/01000000003').set(as(p)).expect(404);
      expect(gone.body.code).toBe('NOT_FOUND');
    });

    it.each([
      [{ number: '010-abcd-5678' }, 'INVALID_BLOCKED_NUMBER'],
      [{ number: '+82 10 1234 5678' }, 'INVALID_BLOCKED_NUMBER'],
      [{ number: '123' }, 'INVALID_BLOCKED_NUMBER'],
      [{}, 'REQUIRED'],
      [{ number: '01012345678', extra: 1 }, 'UNKNOWN_FIELD'],
    ])('refuses %j with 400 %s', async (body, code) => {
      const response = await t.http.post('/v1/opt-out/blocklist').set(as(p)).send(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code });
      expect(response.body.field).toEqual(expect.any(String));
    });

    it.each([
      ['page=0', 'page'],
      ['size=501', 'size'],
      ['page=x', 'page'],
    ])('refuses the query %s', async (query, field) => {
      const response = await t.http.get(`/v1/opt-out/blocklist?${query}`).set(as(p)).expect(400);
      expect(response.body.field).toBe(field);
    });

    it('takes calls on the ARS stand-in with the issued secret only', async () => {
      const issued = await t.http.post('/v1/opt-out/service/ars-token').set(as(p)).expect(201);
      expect(issued.body.path).toBe(`/v1/opt-out/ars/${issued.body.token}/calls`);
      const call = await t.http.post(issued.body.path).send({ callerNumber: '010-9999-8888' }).expect(201);
      expect(call.body).toMatchObject({ number: '01099998888', source: 'ARS' });
      const listed = await t.http.get('/v1/opt-out/blocklist?number=01099998888').set(as(p)).expect(200);
      expect(listed.body.total).toBe(1);
      await t.http.post('/v1/opt-out/ars/ars_wrong/calls').send({ callerNumber: '01099998888' }).expect(404);
      const bad = await t.http.post(issued.body.path).send({ callerNumber: 'hello' }).expect(400);
      expect(bad.body.code).toBe('INVALID_BLOCKED_NUMBER');
      // A new secret replaces the old one.
      const next = await t.http.post('/v1/opt-out/service/ars-token').set(as(p)).expect(201);
      await t.http.post(issued.body.path).send({ callerNumber: '01011112222' }).expect(404);
      await t.http.post(next.body.path).send({ callerNumber: '01011112222' }).expect(201);
    });

    it('keeps each project’s list to itself', async () => {
      const other = await completedProject('Other');
      await t.http.post('/v1/opt-out/blocklist').set(as(p)).send({ number: '01055556666' }).expect(201);
      const theirs = await t.http.get('/v1/opt-out/blocklist').set(as(other)).expect(200);
      expect(theirs.body.total).toBe(0);
      await t.http.delete('/v1/opt-out/blocklist/01055556666').set(as(other)).expect(404);
      const mine = await t.http.get('/v1/opt-out/blocklist?number=01055556666').set(as(p)).expect(200);
      expect(mine.body.total).toBe(1);
    });

    it('needs a COMPLETE service for an ARS secret', async () => {
      const fresh = await t.createProject();
      const response = await t.http.post('/v1/opt-out/service/ars-token').set(as(fresh)).expect(409);
      expect(response.body.code).toBe('BLOCK_LIST_NOT_EDITABLE');
    });
  });
});
