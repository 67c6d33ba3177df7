// Browser test: Debian's headless Chromium (through playwright-core, no browser download) against a real dvchub.
// Run: DVCHUB_BINARY=build/release/dvchub node --test tests/browser/   (ctest registers it as "browser").
// Covers: the public home page on a phone (lang, heading, no sideways scrolling, screenshot in artifacts/), an
// admin's round trip through the forms (sign in, create a unit, find it, sign out), a citizen's feedback filed, answered
// by staff, read and rated on a phone, the satisfaction survey without JavaScript, and signing in with
// JavaScript turned off; finally that the server shuts down cleanly (exit 0, so no sanitizer report).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from './chromium.mjs';
import { startServer } from './dvchub-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const DEMO_PASSWORD = 'dvchub-demo-2025';

const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
};

// Today in Vietnam as dd/mm/yyyy: the server's "today" is the Vietnamese calendar day, whatever the machine's zone.
function vietnamToday() {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date());
}

async function signIn(page, baseUrl, username) {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/quan-tri`), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

describe('dvchub in headless Chromium', () => {
  let server;
  let browser;

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) await server.stop(); // no-op when the last test already stopped it
  });

  test('home page on a phone: Vietnamese, readable, no sideways scrolling', async () => {
    const context = await browser.newContext(phone);
    try {
      const page = await context.newPage();
      const response = await page.goto(`${server.baseUrl}/`);
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      assert.equal(
        (await page.locator('h1').innerText()).trim(),
        'Dịch vụ công trực tuyến, dễ hơn cho mọi người',
      );
      assert.match(await page.title(), /dvchub/);
      const width = await page.evaluate(() => ({
        content: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      assert.equal(width.viewport, 390, 'the viewport meta tag should make the layout viewport the phone width');
      assert.ok(width.content <= width.viewport, `page is ${width.content}px wide on a ${width.viewport}px phone`);
      await page.screenshot({ path: path.join(artifacts, 'home-phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('admin signs in, creates a unit through the form, finds it, signs out', async () => {
    const context = await browser.newContext(phone);
    try {
      const page = await context.newPage();
      const base = server.baseUrl;

      await signIn(page, base, 'admin');
      assert.equal(new URL(page.url()).pathname, '/quan-tri');
      await assert.doesNotReject(page.getByRole('button', { name: 'Đăng xuất' }).waitFor());

      const code = `BT${Date.now().toString(36).toUpperCase()}`;
      const name = `Xã Đồng Tháp Mười Ưu Việt ${code}`;
      await page.goto(`${base}/quan-tri/don-vi`);
      const form = page.locator('#tao-don-vi form');
      await form.locator('#code').fill(code);
      await form.locator('#name').fill(name);
      await form.locator('#kind').selectOption('commune');
      await form.locator('#parent_code').fill('ST');
      await form.locator('#valid_from').fill(vietnamToday());
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/quan-tri/don-vi/${code}`),
        form.getByRole('button', { name: 'Thêm đơn vị' }).click(),
      ]);
      assert.ok(new URL(page.url()).searchParams.has('ok'), `no ok=… notice in ${page.url()}`);
      assert.equal((await page.locator('main h1').innerText()).trim(), name);
      assert.match(await page.locator('main').innerText(), new RegExp(`Đã tạo đơn vị ${name}`));

      await page.goto(`${base}/quan-tri/don-vi`);
      const row = page.locator('tbody tr', { has: page.locator(`a[href="/quan-tri/don-vi/${code}"]`) });
      assert.equal(await row.count(), 1, `unit ${code} should be listed once`);
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[0].trim(), code);
      assert.ok(cells[1].includes(name), `listed name ${JSON.stringify(cells[1])}`);
      assert.equal(cells[3].trim(), 'ST');
      assert.equal(cells[4].trim(), vietnamToday());
      // For people to look at: the staff table and admin forms on a phone (not asserted; tables scroll in place).
      await page.screenshot({ path: path.join(artifacts, 'units-phone.png'), fullPage: true });

      await Promise.all([
        page.waitForURL(`${base}/`),
        page.getByRole('button', { name: 'Đăng xuất' }).click(),
      ]);
      const afterSignOut = await page.goto(`${base}/quan-tri`);
      assert.equal(new URL(page.url()).pathname, '/dang-nhap', 'signed out: /quan-tri should send to the sign-in form');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/quan-tri');
      const redirect = afterSignOut.request().redirectedFrom();
      assert.equal(redirect?.url(), `${base}/quan-tri`, 'the sign-in form should be reached by a redirect');
      const redirectStatus = (await redirect.response()).status();
      assert.ok(redirectStatus >= 300 && redirectStatus < 400, `redirect status ${redirectStatus}`);
      assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('signing in works with JavaScript turned off', async () => {
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      // Prove that page scripts really do not run in this context.
      await page.setContent('<title>tĩnh</title><script>document.title = "đã chạy"</script>');
      assert.equal(await page.title(), 'tĩnh', 'page scripts ran although JavaScript is off');

      await page.goto(`${server.baseUrl}/quan-tri`);
      assert.equal(new URL(page.url()).pathname, '/dang-nhap');
      await page.locator('#username').fill('lanhdao');
      await page.locator('#password').fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL(`${server.baseUrl}/quan-tri`),
        page.getByRole('button', { name: 'Đăng nhập' }).click(),
      ]);
      assert.equal((await page.locator('main h1').innerText()).trim(), 'Khu vực quản trị');
      assert.match(await page.locator('main').innerText(), /Lãnh đạo UBND/);
    } finally {
      await context.close();
    }
  });

  test('a citizen files feedback on a phone, staff answer it, the citizen reads the answer and rates it', async () => {
    const citizen = await browser.newContext(phone);
    const staff = await browser.newContext(phone);
    try {
      const base = server.baseUrl;
      const page = await citizen.newPage();
      const title = `Không tải được tệp đính kèm ${Date.now().toString(36)}`;
      await page.goto(`${base}/phan-anh/gui`);
      await page.locator('#kind').selectOption('complaint');
      await page.locator('#subject').selectOption('technical');
      // While typing, answers to similar questions appear under the title (JavaScript, from the API).
      await page.locator('#title').pressSequentially('Không đăng nhập được bằng VNeID', { delay: 5 });
      await page
        .locator('#similar-live a', { hasText: 'Không đăng nhập được Cổng dịch vụ công bằng tài khoản VNeID' })
        .waitFor({ timeout: 15000 });
      await page.locator('#title').fill(title);
      await page.locator('#body').fill('Tôi là Nguyễn Văn Bình, gọi 0912 345 678: trang nộp hồ sơ báo lỗi khi tải tệp PDF 3 MB.');
      await page.locator('#unit_code').selectOption('MH-XA-2');
      await page.locator('#contact_phone').fill('0912345678');
      await Promise.all([
        page.waitForURL((url) => /^\/phan-anh\/[A-Z2-9]{8}$/.test(url.pathname)),
        page.getByRole('button', { name: 'Gửi phản ánh' }).click(),
      ]);
      const code = new URL(page.url()).pathname.split('/').pop();
      const spoken = `${code.slice(0, 4)}-${code.slice(4)}`;
      assert.match(await page.locator('main').innerText(), new RegExp(`Mã tra cứu: ${spoken}`));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the confirmation is ${width}px wide on a 390px phone`);
      await page.screenshot({ path: path.join(artifacts, 'feedback-filed-phone.png'), fullPage: true });

      // Staff: the coordinator classifies it into the commune, the commune's officer drafts, the coordinator
      // approves and publishes — each through the item page's forms.
      const desk = await staff.newPage();
      await signIn(desk, base, 'dieuphoi');
      await desk.goto(`${base}/quan-tri/phan-anh`);
      await Promise.all([desk.waitForURL(/\/quan-tri\/phan-anh\/\d+$/), desk.getByRole('link', { name: spoken }).click()]);
      const itemUrl = desk.url();
      await desk.locator('#classify-unit').selectOption('MH-XA-2');
      await Promise.all([desk.waitForURL(/da_luu=1/), desk.getByRole('button', { name: 'Phân loại, thụ lý' }).click()]);
      await Promise.all([desk.waitForURL(`${base}/`), desk.getByRole('button', { name: 'Đăng xuất' }).click()]);
      await signIn(desk, base, 'canbo.xa');
      await desk.goto(itemUrl);
      await desk.locator('#draft').fill('Xã đã báo đơn vị kỹ thuật; tệp đến 10 MB nay tải được. Xin lỗi ông Bình vì sự bất tiện.');
      await Promise.all([desk.waitForURL(/da_luu=1/), desk.getByRole('button', { name: 'Lưu bản soạn' }).click()]);
      await Promise.all([desk.waitForURL(`${base}/`), desk.getByRole('button', { name: 'Đăng xuất' }).click()]);
      await signIn(desk, base, 'dieuphoi');
      await desk.goto(itemUrl);
      await Promise.all([desk.waitForURL(/da_luu=1/), desk.getByRole('button', { name: 'Duyệt' }).click()]);
      await Promise.all([desk.waitForURL(/da_luu=1/), desk.getByRole('button', { name: 'Công bố câu trả lời' }).click()]);
      assert.match(await desk.locator('main').innerText(), /Đã trả lời công khai/);

      // The citizen comes back with the code as read over the phone, reads the answer (names and numbers masked)
      // and rates it.
      await page.goto(`${base}/phan-anh`);
      await page.locator('input[name="ma"]').fill(spoken.toLowerCase());
      await Promise.all([
        page.waitForURL(`${base}/phan-anh/${code}`),
        page.locator('input[name="ma"]').press('Enter'),
      ]);
      const text = await page.locator('main').innerText();
      assert.match(text, /Đã trả lời công khai/);
      assert.match(text, /nay tải được/);
      assert.doesNotMatch(text, /Bình|0912/, 'personal data must be masked on the public page');
      await page.locator('#comment').fill('Đã tải được, cảm ơn.');
      await Promise.all([page.waitForURL(/da_danh_gia=1/), page.getByRole('button', { name: 'Hài lòng', exact: true }).click()]);
      assert.match(await page.locator('main').innerText(), /Cảm ơn bạn đã đánh giá/);
      await page.screenshot({ path: path.join(artifacts, 'feedback-answered-phone.png'), fullPage: true });
    } finally {
      await citizen.close();
      await staff.close();
    }
  });

  test('the satisfaction survey works on a phone without JavaScript', async () => {
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/khao-sat?don_vi=MH-XA-2&thu_tuc=1.001193`);
      assert.match(await page.locator('main').innerText(), /Đăng ký khai sinh/);
      await Promise.all([page.waitForURL(/\/khao-sat$/), page.getByRole('button', { name: 'Gửi đánh giá' }).click()]);
      assert.match(await page.locator('main').innerText(), /Cần chọn mức đánh giá/);
      await page.locator('#overall-4').check();
      await page.locator('#officials-5').check();
      await Promise.all([
        page.waitForURL(/\/khao-sat\/cam-on$/),
        page.getByRole('button', { name: 'Gửi đánh giá' }).click(),
      ]);
      assert.match(await page.locator('main').innerText(), /Phiếu khảo sát đã được ghi nhận/);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the survey is ${width}px wide on a 390px phone`);
    } finally {
      await context.close();
    }
  });

  test('server stops cleanly on SIGTERM (exit code 0, no sanitizer report)', async () => {
    const status = await server.stop();
    server = null;
    assert.equal(status.signal, null, `killed by ${status.signal}:\n${status.output}`);
    assert.equal(status.code, 0, `exit code ${status.code}:\n${status.output}`);
    assert.doesNotMatch(status.output, /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/);
  });
});
