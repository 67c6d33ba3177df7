// Browser test of the plan pages: Debian's headless Chromium (playwright-core) against a real dvchub with the demo.
// Run: DVCHUB_BINARY=build/release/dvchub node --test tests/browser/plan.test.mjs   (ctest: "browser").
// A commune officer (canbo.xa, MH-XA-2) records an activity, uploads evidence for it, sets a task's status on the unit's page and submits
// the yearly report; the lead office (dieuphoi) accepts it, opens the compiled report and downloads it as DOCX and
// XLSX (zip archives: "PK\x03\x04") and PDF ("%PDF-"); finally the server shuts down cleanly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from './chromium.mjs';
import { startServer } from './dvchub-server.mjs';

const DEMO_PASSWORD = 'dvchub-demo-2025';

async function signIn(page, baseUrl, username) {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/quan-tri`), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

// Clicks a link that answers with an attachment and returns the downloaded bytes and the suggested name.
async function download(page, linkName) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  const failure = await file.failure();
  assert.equal(failure, null, `download of ${linkName} failed: ${failure}`);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

describe('plan pages in headless Chromium', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) await server.stop();
  });

  test('an officer reports, the lead office accepts and downloads the compiled report', async () => {
    const base = server.baseUrl;
    const officer = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const lead = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
    try {
      // The officer finds the plan from the public list.
      const page = await officer.newPage();
      await signIn(page, base, 'canbo.xa');
      await page.goto(`${base}/ke-hoach`);
      await Promise.all([page.waitForURL(/\/ke-hoach\/\d+$/), page.getByRole('link', { name: /51\/KH-UBND/ }).first().click()]);
      const planId = page.url().match(/\/ke-hoach\/(\d+)$/)[1];

      // Records an activity.
      await page.goto(`${base}/quan-tri/ke-hoach/${planId}/hoat-dong`);
      const title = `Hội nghị hướng dẫn dịch vụ công trực tuyến ${Date.now()}`;
      await page.locator('#task').selectOption('IV.1.a');
      await page.locator('#unit').selectOption('MH-XA-2');
      await page.locator('#kind').selectOption('conference_training');
      await page.locator('#title').fill(title);
      await page.locator('#place').fill('Hội trường xã');
      await page.locator('#citizens').fill('120');
      await page.locator('#officials').fill('15');
      await Promise.all([
        page.waitForURL(/hoat-dong\?da_luu=1$/),
        page.getByRole('button', { name: 'Lưu hoạt động' }).click(),
      ]);
      await assert.doesNotReject(page.getByText(title).first().waitFor());

      // Uploads evidence for it from the page (multipart/form-data).
      const upload = page.locator('tr', { hasText: title }).locator('form.upload-form');
      await upload.locator('input[type="file"]').setInputFiles({
        name: 'bien-ban.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
      });
      await Promise.all([page.waitForURL(/da_tai_len=1$/), upload.getByRole('button', { name: 'Tải lên' }).click()]);
      await assert.doesNotReject(page.getByText('Tệp: bien-ban.pdf').first().waitFor());

      // Sets a task's status with a note on the unit's page (a predecessor commune's task, within its scope).
      await page.goto(`${base}/quan-tri/ke-hoach/${planId}/don-vi/MH-XA-2`);
      const row = page.locator('tr', { hasText: 'Giao cho Xã Long Hưng' }).filter({ hasText: 'IV.1.a' }).first();
      await row.locator('select[name="status"]').selectOption('in_progress');
      await row.locator('input[name="note"]').fill('Đã tổ chức hội nghị');
      await Promise.all([page.waitForURL(/da_luu=1/), row.getByRole('button', { name: 'Lưu' }).click()]);
      await assert.doesNotReject(page.getByText('Đã tổ chức hội nghị').first().waitFor());
      await assert.doesNotReject(page.getByText(title).first().waitFor());  // the activity is on the unit's page

      // Opens this year's report from the unit's page, writes it and submits it.
      const year = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
      await Promise.all([
        page.waitForURL(/\/quan-tri\/ky-bao-cao\/\d+\/MH-XA-2$/),
        page.getByRole('link', { name: `Năm ${year}` }).click(),
      ]);
      const reportUrl = page.url();
      await assert.doesNotReject(page.getByText('Hội nghị, tập huấn').first().waitFor());  // pre-filled figures
      await page.locator('#results').fill('Tổ chức hội nghị hướng dẫn người dân sử dụng dịch vụ công trực tuyến.');
      await page.locator('#difficulties').fill('Sóng di động yếu ở các ấp xa.');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Gửi báo cáo' }).click()]);
      await assert.doesNotReject(page.getByText('Đã gửi, chờ duyệt').first().waitFor());

      // The lead office accepts the report.
      const office = await lead.newPage();
      await signIn(office, base, 'dieuphoi');
      await office.goto(reportUrl);
      await office.locator('#comment').fill('Đủ nội dung.');
      await Promise.all([office.waitForLoadState('load'), office.getByRole('button', { name: 'Tiếp nhận' }).click()]);
      await assert.doesNotReject(office.getByText('Đã tiếp nhận').first().waitFor());

      // Compiles the report and downloads it three ways.
      await office.getByRole('link', { name: 'Tình hình báo cáo' }).first().click();
      await Promise.all([office.waitForURL(/\/tong-hop$/), office.getByRole('link', { name: 'Báo cáo tổng hợp' }).click()]);
      await assert.doesNotReject(office.getByText('Xã Long Hưng (minh họa)').first().waitFor());
      const docx = await download(office, 'Tải văn bản (DOCX)');
      assert.match(docx.name, /\.docx$/);
      assert.equal(docx.bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
      assert.ok(docx.bytes.includes(Buffer.from('word/document.xml')), 'the DOCX holds word/document.xml');
      const pdf = await download(office, 'PDF');
      assert.match(pdf.name, /\.pdf$/);
      assert.equal(pdf.bytes.subarray(0, 5).toString('binary'), '%PDF-');
      assert.ok(pdf.bytes.subarray(-1024).includes(Buffer.from('%%EOF')), 'the PDF ends with %%EOF');
      const xlsx = await download(office, 'Tải bảng tính (XLSX)');
      assert.match(xlsx.name, /\.xlsx$/);
      assert.equal(xlsx.bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
      assert.ok(xlsx.bytes.includes(Buffer.from('xl/workbook.xml')), 'the XLSX holds xl/workbook.xml');
    } finally {
      await officer.close();
      await lead.close();
    }
  });

  test('the server shuts down cleanly', async () => {
    const result = await server.stop();
    server = undefined;
    assert.equal(result.code, 0, result.output);
  });
});
