import type { TestApp, TestProject } from './test-app';

/** The calling number every sending project gets approved. */
export const CALLING_NUMBER = '0212345678';
export const NUMBER_080 = '0801234567';

/** Tests here look at what the send path stored; the dispatcher would move the rows on under them. */
export const NO_DISPATCH = { MUNJA_DISPATCH: 'false' };

export interface SendingProject extends TestProject {
  auth: { Authorization: string };
}

/** A project with an APPROVED calling number and, when asked, a COMPLETE 080 opt-out service. */
export async function sendingProject(
  t: TestApp,
  name: string,
  options: { optOut?: boolean } = {},
): Promise<SendingProject> {
  const project = await t.createProject(name);
  const auth = t.bearer(project.apiKey);
  const registered = await t.http
    .post('/v1/calling-numbers')
    .set(auth)
    .send({ number: '02-1234-5678', method: 'DOCUMENT' })
    .expect(201);
  await t.http
    .post(`/v1/projects/${project.projectId}/calling-numbers/${registered.body.id}/approve`)
    .set(t.bearer(t.operatorKey))
    .expect(200);
  if (options.optOut) {
    await t.http.post('/v1/opt-out/service').set(auth).send({ companyName: '문자상사' }).expect(201);
    await t.http
      .post(`/v1/projects/${project.projectId}/opt-out/service/complete`)
      .set(t.bearer(t.operatorKey))
      .send({ number080: NUMBER_080 })
      .expect(200);
  }
  return { ...project, auth };
}

/** A send body with the defaults tests vary from. */
export function sendBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: CALLING_NUMBER,
    content: '안녕하세요',
    messages: [{ to: '010-1111-2222' }],
    ...overrides,
  };
}
