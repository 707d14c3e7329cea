import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/test/webhooks-receiver';
import { nameViolations } from './support/axe';
import { ARTIFACTS, launchBrowser, screenshot, type Browser } from './support/browser';
import { startService, type RunningService } from './support/service';

let service: RunningService;
let browser: Browser;
let page: Page;

/** The demo project's approved calling number (seeded by the service). */
const DEMO_NUMBER = '0212345678';

async function signIn(key: string, role: 'project' | 'operator' = 'project') {
  await page.goto(`${service.url}/console/`);
  await choose(role === 'project' ? '프로젝트' : '운영자');
  await page.getByLabel(role === 'project' ? '프로젝트 API 키' : '운영자 키').fill(key);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.getByRole('button', { name: '로그인' }).waitFor();
}

async function open(pageName: string) {
  await page.getByRole('navigation').getByRole('link', { name: pageName }).click();
  await page.getByRole('heading', { level: 2, name: pageName }).waitFor();
}

/** Picks a segmented-control option (its radio input is visually hidden; the label is what people click). */
async function choose(option: string) {
  await page
    .locator('label')
    .filter({ hasText: new RegExp(`^${option}$`) })
    .click();
}

const content = () => page.getByRole('textbox', { name: '내용' });

/** The compose page loaded anew (an empty form): going to the URL it is on would only move to its hash. */
async function freshCompose() {
  await page.goto('about:blank');
  await page.goto(`${service.url}/console/#/compose`);
  await page.getByTestId('byte-count').waitFor();
}

/** Presses Tab (Shift+Tab backwards) until `target` has the focus: how a keyboard user gets to a control. */
async function tabTo(target: ReturnType<Page['locator']>, backwards = false, limit = 80) {
  await target.waitFor({ state: 'attached' });
  const focused: string[] = [];
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    focused.push(
      await page.evaluate(() => {
        const element = document.activeElement;
        return `${element?.tagName ?? ''} ${element?.getAttribute('aria-label') ?? element?.textContent?.slice(0, 20) ?? ''}`;
      }),
    );
  }
  throw new Error(`${limit} presses of Tab did not reach ${target.toString()}: went ${focused.join(' → ')}`);
}

/** Fails with the list of controls axe finds without an accessible name on the page as it is. */
async function expectEveryControlNamed(where: string) {
  const violations = await nameViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  [service, browser] = await Promise.all([startService(), launchBrowser()]);
  page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
});

// A failed step leaves its page behind as artifacts/failed-<test>.png.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) {
    await screenshot(page, `failed-${context.task.name.replace(/[^\w가-힣]+/g, '-').slice(0, 60)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('the console in chromium against the service', () => {
  it('signs in with the project key; the compose page is interactive within a second', async () => {
    await signIn(service.demoKey);
    // Interactive: the counter (the lazily loaded rules chunk) answers. Measured from a fresh navigation.
    await freshCompose();
    const interactiveMs = await page.evaluate(
      () => performance.getEntriesByName('munja:compose-interactive')[0]?.startTime ?? Number.NaN,
    );
    console.log(
      `compose interactive ${interactiveMs.toFixed(0)} ms after navigation start (loopback, loaded machine)`,
    );
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('munja.console.session'))).toBeNull();
    await screenshot(page, '01-compose');
  });

  it('counts 91 bytes of Korean as LMS', async () => {
    await content().fill('가'.repeat(45));
    await expect.poll(() => page.getByTestId('message-type').textContent()).toBe('SMS');
    await content().pressSequentially('a');
    await expect.poll(() => page.getByTestId('message-type').textContent()).toBe('LMS');
    expect(await page.getByTestId('byte-count').textContent()).toContain('91 / 2000');
    await content().pressSequentially('😀');
    await page.getByTestId('unencodable-preview').locator('mark').waitFor();
    await screenshot(page, '02-compose-lms-unencodable');
  });

  it('keeps a keystroke in a 2,000-byte text quick (printed, not asserted)', async () => {
    await content().fill('가나다라마바사아자차'.repeat(99) + 'ab');
    await expect.poll(() => page.getByTestId('byte-count').textContent()).toContain('1982 / 2000');
    // Per keystroke: from the keydown to the frame after React rendered the new text and its counter.
    await page.evaluate(() => {
      const w = window as unknown as { keystrokes: number[] };
      w.keystrokes = [];
      const area = document.querySelector('textarea[data-testid="content"]') as HTMLTextAreaElement;
      area.addEventListener('keydown', () => {
        performance.mark('key');
        requestAnimationFrame(() =>
          setTimeout(() => w.keystrokes.push(performance.measure('keystroke', 'key').duration), 0),
        );
      });
    });
    await content().press('End');
    await content().pressSequentially('x'.repeat(15), { delay: 30 });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { keystrokes: number[] }).keystrokes.length))
      .toBe(16);
    const times = await page.evaluate(() =>
      (window as unknown as { keystrokes: number[] }).keystrokes.slice(1),
    );
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const max = times[times.length - 1] ?? 0;
    console.log(
      `keystroke in a 2,000-byte text: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${times.length} keys (loaded machine)`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'keystroke-ms.json'), JSON.stringify({ median, max, times }, null, 2));
    expect(await page.getByTestId('byte-count').textContent()).toContain('1997 / 2000');
    await screenshot(page, '03-compose-2000-bytes');
  });

  it('sends an SMS and shows it COMPLETED in the history', async () => {
    await content().fill('콘솔에서 보낸 문자');
    await page.getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' }).fill('010-2000-0001');
    await page.getByRole('button', { name: '보내기' }).click();
    await page.getByTestId('send-result').waitFor();
    await open('발송 내역');
    await expect
      .poll(async () => page.getByTestId('history-status').first().textContent(), {
        timeout: 60_000,
        interval: 1000,
      })
      .toBe('COMPLETED');
    await page.getByRole('button', { name: '01020000001에게 보낸 메시지 보기' }).click();
    await page.getByTestId('message-details').getByText('DELIVERED').first().waitFor();
    // the timeline's last step is the vendor's own delivery report (GET /v1/messages/:id/reports)
    await page.getByTestId('report').filter({ hasText: 'DELIVERED' }).waitFor();
    await screenshot(page, '04-history-details');
    await page.keyboard.press('Escape');
  });

  it('previews an AD with its label and 080 footer, and lists blocked and refused recipients', async () => {
    await open('메시지 보내기');
    await choose('광고');
    await choose('예약 발송');
    await page.getByLabel('시각').fill('10:00');
    await content().fill('겨울 할인 행사');
    const adText = page.getByTestId('ad-text');
    await adText.waitFor();
    expect(await adText.textContent()).toMatch(/^\(광고\)/);
    expect(await adText.textContent()).toContain('무료거부 080');
    // The opt-out list refuses a number for AD; the dry run lists it before anything is sent.
    const api = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${service.demoKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await api('/v1/opt-out/blocklist', { number: '01030000003' })).ok).toBe(true);
    await page
      .getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' })
      .fill('01030000001\n01030000003\n0101');
    await page.getByRole('button', { name: '미리보기 (발송 안 함)' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    await preview.getByText('BLOCKED', { exact: true }).waitFor();
    await preview.getByText('INVALID_PHONE_NUMBER', { exact: false }).waitFor();
    await screenshot(page, '05-compose-ad-preview');
  });

  it('reserves a message, then cancels the reservation', async () => {
    await choose('일반');
    await content().fill('예약 후 취소할 문자');
    await page.getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' }).fill('01040000001');
    await page.getByRole('button', { name: '예약하기' }).click();
    await page.getByTestId('send-result').getByText('예약되었습니다').waitFor();
    await open('예약 발송');
    await expect.poll(() => page.getByTestId('reservation-status').first().textContent()).toBe('READY');
    await screenshot(page, '06-reservations-ready');
    await page
      .getByRole('button', { name: /예약 취소$/ })
      .first()
      .click();
    await expect.poll(() => page.getByTestId('reservation-status').first().textContent()).toBe('CANCELED');
    await screenshot(page, '07-reservations-canceled');
  });

  it('imports a 1,000-row CSV through the bulk endpoint and follows its progress to the end', async () => {
    await open('메시지 보내기');
    await choose('즉시 발송');
    await content().fill('대량 발송 시험');
    await page.getByRole('tab', { name: 'CSV 가져오기' }).click();
    const rows = [
      'to',
      ...Array.from({ length: 999 }, (_, i) => `0105${String(i).padStart(7, '0')}`),
      'not-a-number',
    ];
    await page.locator('input[type="file"][accept=".csv,text/csv"]').setInputFiles({
      name: 'recipients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n') + '\n'),
    });
    await page.getByTestId('csv-name').getByText('recipients.csv').waitFor();
    await page.getByRole('button', { name: '보내기' }).click();
    await page.getByTestId('bulk-progress').waitFor();
    await expect
      .poll(() => page.getByTestId('bulk-accepted').textContent(), { timeout: 60_000 })
      .toContain('접수 999건');
    await page.getByTestId('bulk-refused').getByText('1001번째 줄', { exact: false }).waitFor();
    await page.getByTestId('bulk-status').waitFor();
    await screenshot(page, '08-bulk-progress');
    await page.getByTestId('bulk-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('bulk-status').textContent()).toContain('999/999');
    await screenshot(page, '09-bulk-done');
  });

  it('registers a calling number as the project and approves it as the operator', async () => {
    await open('발신번호');
    await page.getByRole('textbox', { name: '번호' }).fill('031-555-0100');
    await page.getByRole('button', { name: '발신번호 등록' }).click();
    const table = page.getByTestId('calling-numbers');
    await table.getByText('0315550100').waitFor();
    await table
      .getByRole('row', { name: /0315550100/ })
      .getByText('READY')
      .waitFor();
    await screenshot(page, '10-calling-numbers-ready');

    await signOut();
    await signIn(service.operatorKey, 'operator');
    await page.getByRole('button', { name: '0315550100 승인' }).click();
    await page
      .getByTestId('operator-numbers')
      .getByRole('row', { name: /0315550100/ })
      .getByText('APPROVED')
      .waitFor();
    await screenshot(page, '11-operator');

    await signOut();
    await signIn(service.demoKey);
    await open('발신번호');
    await page
      .getByTestId('calling-numbers')
      .getByRole('row', { name: /0315550100/ })
      .getByText('APPROVED')
      .waitFor();
    await screenshot(page, '12-calling-numbers-approved');
  });

  it('creates a recurring schedule and attaches a message to it from compose', async () => {
    await open('반복 발송');
    await page.getByRole('textbox', { name: '코드' }).fill('weekly-news');
    await page.getByRole('button', { name: '반복 발송 만들기' }).click();
    const schedule = page.getByTestId('schedule').filter({ hasText: 'weekly-news' });
    await schedule.waitFor();
    await open('메시지 보내기');
    await page.getByRole('tab', { name: '번호 붙여넣기' }).click();
    await content().fill('매주 소식');
    await page.getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' }).fill('01060000001');
    await choose('반복 발송에 추가');
    await page
      .getByLabel(/^반복 발송\s*\*?$/)
      .first()
      .click();
    await page.getByRole('option', { name: 'weekly-news' }).click();
    await page.getByRole('button', { name: '일정에 추가' }).click();
    await page.getByTestId('send-result').getByText('반복 발송에 추가되었습니다').waitFor();
    await open('반복 발송');
    await schedule.getByText('메시지 1개', { exact: false }).waitFor();
    await screenshot(page, '13-schedules');
  });

  it('attaches a JPEG with its thumbnail and sends an MMS; a PNG and a too-large JPEG are refused before upload', async () => {
    await freshCompose();
    const uploads: string[] = [];
    const onRequest = (request: { method: () => string; url: () => string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/files')) uploads.push(request.url());
    };
    page.on('request', onRequest);
    // real images, drawn and encoded by the browser itself
    const draw = (type: string, width: number, height: number) =>
      page.evaluate(
        async ({ type, width, height }) => {
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          const context = canvas.getContext('2d')!;
          context.fillStyle = '#2a7';
          context.fillRect(0, 0, width, height);
          context.fillStyle = '#fff';
          context.fillRect(width / 4, height / 4, width / 2, height / 2);
          const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, 0.9));
          return Array.from(new Uint8Array(await blob.arrayBuffer()));
        },
        { type, width, height },
      );
    const jpeg = Buffer.from(await draw('image/jpeg', 320, 240));
    const png = Buffer.from(await draw('image/png', 64, 64));
    const huge = Buffer.from(await draw('image/jpeg', 1600, 1000));
    await page.locator('input[type="file"][accept="image/jpeg"]').setInputFiles([
      { name: 'coupon.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      { name: 'logo.jpg', mimeType: 'image/jpeg', buffer: png },
      { name: 'poster.jpg', mimeType: 'image/jpeg', buffer: huge },
    ]);
    // the thumbnail is the picked image, decoded
    const thumbnail = page.getByRole('img', { name: 'coupon.jpg' });
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    await page.getByText('320×240').waitFor();
    const alerts = page.getByRole('alert');
    await expect.poll(() => alerts.count()).toBe(2);
    const problems = (await alerts.allTextContents()).join('\n');
    expect(problems).toContain('JPEG');
    expect(problems).toContain('1600×1000');
    await content().fill('이미지가 있는 문자');
    await page.getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' }).fill('01090000001');
    expect(await page.getByTestId('message-type').textContent()).toBe('MMS');
    // refused before upload: the send stays disabled while a picked file breaks the rules
    expect(await page.getByRole('button', { name: '보내기' }).isDisabled()).toBe(true);
    await screenshot(page, '19-compose-images-refused');
    await page.getByRole('button', { name: 'logo.jpg 삭제' }).click();
    await page.getByRole('button', { name: 'poster.jpg 삭제' }).click();
    await page.getByRole('button', { name: '보내기' }).click();
    await page.getByTestId('send-result').waitFor();
    expect(uploads).toHaveLength(1);
    page.off('request', onRequest);
    await screenshot(page, '20-compose-mms-sent');
  });

  it('does the whole compose flow with the keyboard only (Tab, arrows, Enter, Space; no click)', async () => {
    await freshCompose();
    // AD with the arrow keys in the COMM/AD switch (its radios), its preview, then back to COMM
    const comm = page.getByRole('radio', { name: '일반' });
    await tabTo(comm);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: '광고' }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => comm.isChecked()).toBe(true);
    // the calling number from its list: open with ArrowDown, choose with Enter
    const from = page.getByLabel(/^발신번호 \(승인된 번호만\)/).first();
    await tabTo(from);
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: DEMO_NUMBER }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => from.inputValue()).toBe(DEMO_NUMBER);
    await tabTo(content());
    await page.keyboard.type('키보드만으로 보낸 문자');
    await expect.poll(() => page.getByTestId('byte-count').textContent()).toContain('/ 90');
    // the recipients tabs (one tab stop; the arrow keys move between them): to the CSV tab and back
    await tabTo(page.getByRole('tab', { name: '번호 붙여넣기' }));
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('csv-name').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    const recipients = page.getByRole('textbox', { name: '받는 번호 (한 줄에 하나)' });
    await tabTo(recipients);
    await page.keyboard.type('010-7000-0001\n0101');
    // send now: the send-time switch by arrow keys (reserve, then back)
    const now = page.getByRole('radio', { name: '즉시 발송' });
    await tabTo(now);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: '예약 발송' }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => now.isChecked()).toBe(true);
    // the dry run with Enter, then the send with Space
    await tabTo(page.getByRole('button', { name: '미리보기 (발송 안 함)' }));
    await page.keyboard.press('Enter');
    await page.getByTestId('preview').getByText('INVALID_PHONE_NUMBER', { exact: false }).waitFor();
    await tabTo(page.getByRole('button', { name: '보내기' }));
    await page.keyboard.press('Space');
    await page.getByTestId('send-result').waitFor();
    expect(await page.getByTestId('send-result').textContent()).toContain('접수 1건');
    await screenshot(page, '18-compose-keyboard-only');
  });

  it('registers a webhook endpoint and sends it a test event, delivered and shown in the log', async () => {
    const receiver = await new WebhookReceiver(() => 200).start();
    try {
      await open('웹훅');
      await page.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
      await page.getByRole('button', { name: '엔드포인트 등록' }).click();
      await page.getByText('서명 비밀값 (지금만 보입니다)').waitFor();
      await page.getByRole('button', { name: `${receiver.url}에 시험 이벤트 보내기` }).click();
      await page.getByTestId('test-event-queued').waitFor();
      const eventId = /([0-9a-f-]{36})/.exec(
        (await page.getByTestId('test-event-queued').textContent()) ?? '',
      )?.[1];
      // The receiver got the event itself, signed, and the log (refreshed every 5 s) shows it delivered.
      await expect.poll(() => receiver.forEvent(eventId ?? '').length).toBe(1);
      const received = JSON.parse(receiver.forEvent(eventId ?? '')[0]!.rawBody) as { type: string };
      expect(received.type).toBe('webhook.test');
      expect(receiver.requests[0]!.headers['munja-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      await page
        .getByTestId('delivery')
        .filter({ hasText: 'webhook.test' })
        .filter({ hasText: 'DELIVERED' })
        .waitFor();
      await screenshot(page, '15-webhooks-test-event');
    } finally {
      await receiver.stop();
    }
  });

  it('adds a number to the block list with its one-field form (Enter), and removes it', async () => {
    await open('080 수신거부');
    await page.getByRole('textbox', { name: '추가할 번호' }).fill('010-8000-0001');
    await page.keyboard.press('Enter');
    const remove = page.getByRole('button', { name: '01080000001 삭제' });
    await remove.waitFor();
    // the field is emptied once the number is added
    expect(await page.getByRole('textbox', { name: '추가할 번호' }).inputValue()).toBe('');
    await screenshot(page, '14-opt-out');
    await remove.click();
    await remove.waitFor({ state: 'detached' });
  });

  it('renders a 450-number block list a screenful at a time and fetches the rest as it scrolls', async () => {
    const auth = { Authorization: `Bearer ${service.demoKey}`, 'Content-Type': 'application/json' };
    const numbers = Array.from({ length: 450 }, (_, i) => `0109${String(i).padStart(7, '0')}`);
    for (let i = 0; i < numbers.length; i += 50) {
      const answers = await Promise.all(
        numbers.slice(i, i + 50).map((number) =>
          fetch(`${service.url}/v1/opt-out/blocklist`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ number }),
          }),
        ),
      );
      expect(answers.every((answer) => answer.ok)).toBe(true);
    }
    // the last row in the service's own order, on the third page the list has to fetch
    const all = (await (
      await fetch(`${service.url}/v1/opt-out/blocklist?page=1&size=500`, { headers: auth })
    ).json()) as { items: { number: string }[]; total: number };
    const last = all.items[all.items.length - 1]!.number;
    await open('080 수신거부');
    const list = page.getByTestId('blocklist');
    await list.getByRole('listitem').first().waitFor();
    expect(await list.getByRole('listitem').count()).toBeLessThan(40);
    await expect
      .poll(async () => {
        await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
        return list.getByRole('button', { name: `${last} 삭제` }).count();
      })
      .toBe(1);
    // still a window, not the whole list
    expect(await list.getByRole('listitem').count()).toBeLessThan(40);
    expect(all.total).toBeGreaterThanOrEqual(450);
    expect(all.items).toHaveLength(all.total);
  });

  it('shows every other page (screenshots), in Korean and in English', async () => {
    for (const [name, file] of [['프로젝트 키', '16-keys']] as const) {
      await open(name);
      await screenshot(page, file);
    }
    await choose('English');
    await page.getByRole('heading', { level: 2, name: 'Project key' }).waitFor();
    await open('Compose');
    await screenshot(page, '17-compose-english');
    expect(DEMO_NUMBER).toHaveLength(10);
  });

  it('names every control on every page (axe-core: label, button-name, link-name … no violation)', async () => {
    await page.goto(`${service.url}/console/#/compose`);
    await choose('한국어');
    await page.getByTestId('byte-count').waitFor();
    for (const name of [
      '메시지 보내기',
      '발송 내역',
      '예약 발송',
      '반복 발송',
      '발신번호',
      '080 수신거부',
      '웹훅',
      '프로젝트 키',
    ]) {
      await open(name);
      await page.waitForLoadState('networkidle');
      await expectEveryControlNamed(name);
    }
    // the message details dialog
    await open('발송 내역');
    await page
      .getByRole('button', { name: /에게 보낸 메시지 보기$/ })
      .first()
      .click();
    await page.getByTestId('message-details').waitFor();
    await expectEveryControlNamed('message details');
    await page.keyboard.press('Escape');
    await signOut();
    await expectEveryControlNamed('sign-in');
    await signIn(service.operatorKey, 'operator');
    await page.waitForLoadState('networkidle');
    await expectEveryControlNamed('operator');
    await signOut();
    await signIn(service.demoKey);
  });
});
