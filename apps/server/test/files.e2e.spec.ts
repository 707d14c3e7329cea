import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp, TestProject } from './test-app';
import { fakeJpeg, fakePng } from './support/images';

describe('files (MMS images)', () => {
  let t: TestApp;
  let p: TestProject;

  beforeAll(async () => {
    t = await startTestApp({ env: { MUNJA_FILE_TTL_HOURS: '24' } });
    p = await t.createProject('Files');
  });

  afterAll(async () => {
    await t?.close();
  });

  const upload = (bytes: Buffer, filename: string, project: TestProject = p) =>
    t.http
      .post('/v1/files')
      .set(t.bearer(project.apiKey))
      .attach('file', bytes, { filename, contentType: 'image/jpeg' });

  it('stores a JPEG within the limits and answers fileId and expiry', async () => {
    const response = await upload(fakeJpeg(1500, 1440, 300 * 1024), 'coupon.jpg').expect(201);
    expect(response.body).toMatchObject({
      fileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'coupon.jpg',
      contentType: 'image/jpeg',
      size: 300 * 1024,
      width: 1500,
      height: 1440,
      createdAt: t.clock.now().toISOString(),
      expiresAt: new Date(t.clock.now().getTime() + 24 * 3600_000).toISOString(),
    });
    const again = await t.http.get(`/v1/files/${response.body.fileId}`).set(t.bearer(p.apiKey)).expect(200);
    expect(again.body.fileId).toBe(response.body.fileId);
  });

  it.each([
    ['too many bytes', fakeJpeg(100, 100, 300 * 1024 + 1), 'a.jpg', 'FILE_TOO_LARGE', 'file'],
    ['too wide', fakeJpeg(1501, 100), 'a.jpg', 'IMAGE_TOO_LARGE', 'file'],
    ['too tall', fakeJpeg(100, 1441), 'a.jpg', 'IMAGE_TOO_LARGE', 'file'],
    ['a PNG', fakePng(100, 100), 'a.jpg', 'INVALID_FILE_TYPE', 'file'],
    ['a .png name', fakeJpeg(100, 100), 'a.png', 'INVALID_FILE_EXTENSION', 'file.name'],
    ['a 41-character name', fakeJpeg(100, 100), `${'x'.repeat(37)}.jpg`, 'FILE_NAME_TOO_LONG', 'file.name'],
    ['far too many bytes', Buffer.alloc(3 * 1024 * 1024, 1), 'a.jpg', 'FILE_TOO_LARGE', 'file'],
  ])('refuses %s with 400', async (_what, bytes, name, code, field) => {
    const response = await upload(bytes, name).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code, field });
  });

  it('accepts a 40-character name', async () => {
    await upload(fakeJpeg(10, 10), `${'x'.repeat(36)}.jpg`).expect(201);
  });

  it('needs multipart with a `file` field', async () => {
    const json = await t.http.post('/v1/files').set(t.bearer(p.apiKey)).send({ file: 'x' }).expect(400);
    expect(json.body).toMatchObject({ code: 'MULTIPART_REQUIRED', field: 'file' });
    const wrongField = await t.http
      .post('/v1/files')
      .set(t.bearer(p.apiKey))
      .attach('image', fakeJpeg(10, 10), 'a.jpg')
      .expect(400);
    expect(wrongField.body).toMatchObject({ code: 'REQUIRED', field: 'file' });
  });

  it('needs a project key', async () => {
    await t.http.post('/v1/files').attach('file', fakeJpeg(10, 10), 'a.jpg').expect(401);
  });

  it('keeps files to their project', async () => {
    const other = await t.createProject('Other');
    const mine = await upload(fakeJpeg(10, 10), 'mine.jpg').expect(201);
    const response = await t.http
      .get(`/v1/files/${mine.body.fileId}`)
      .set(t.bearer(other.apiKey))
      .expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
    await t.http.get('/v1/files/not-a-uuid').set(t.bearer(p.apiKey)).expect(404);
  });
});
