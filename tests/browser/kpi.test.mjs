// Browser test of the KPI pages: Debian's headless Chromium (playwright-core) against a real dvchub with the demo.
// Run: DVCHUB_BINARY=build/release/dvchub node --test tests/browser/kpi.test.mjs   (ctest: "browser").
// The lead office (dieuphoi) uploads a dossier export on the upload page (multipart/form-data, no JavaScript needed)
// and reads the accepted and rejected counts and the rejected row; the public dashboard renders its SVG charts on a
// phone; the staff drill-down lists the children of the top unit and downloads them as XLSX; the server then shuts
// down cleanly.
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

const HEADER = 'MaHoSo,MaTTHC,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,' +
  'SoLanBoSung,DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,' +
  'TaiKhoanDuocXacThucVoiVNeID,MaNguoiNop\n';

describe('KPI pages in headless Chromium', () => {
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

  test('the lead office uploads an export, then drills down from the dashboard', async () => {
    const base = server.baseUrl;
    const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
    try {
      const page = await context.newPage();
      await signIn(page, base, 'dieuphoi');
      await page.goto(`${base}/quan-tri/chi-so/nhap-du-lieu`);
      const stamp = Date.now();
      const file = HEADER +
        `BT-${stamp}-1,1.001193,MH-XA-2,2,2025-09-08,2025-09-20,2025-09-10,,10,0,1,1,1,1,1,S1\n` +
        `BT-${stamp}-2,1.001193,MH-XA-2,1,09/09/2025,,,,4,,,,,,,S2\n` +
        `BT-${stamp}-3,1.001193,KHONG-CO,2,2025-09-08,,,,,,,,,,,S3\n`;
      await page.locator('#kind').selectOption('dossiers');
      await page.locator('#file').setInputFiles({ name: 'xuat.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
      await Promise.all([page.waitForURL(`${base}/quan-tri/chi-so/nhap-du-lieu`), page.getByRole('button', { name: 'Nhập' }).click()]);
      const result = await page.locator('main').innerText();
      assert.match(result, /Số dòng đã đọc: 3/);
      assert.match(result, /Được nhận: 2 \(2 hồ sơ mới/);
      assert.match(result, /Bị từ chối: 1/);
      assert.match(result, /KHONG-CO/);
      const rejected = await page.locator('tbody tr').first().innerText();
      assert.match(rejected, /^4\s+MaDonVi\s+Mã đơn vị KHONG-CO/);

      // The public dashboard, then the staff drill-down it links to.
      await page.goto(`${base}/chi-so?from=2025-01-01&to=2025-12-31`);
      assert.ok(await page.locator('svg.kpi-chart').count() >= 2, 'the dashboard draws its charts');
      await Promise.all([
        page.waitForURL(/\/quan-tri\/chi-so\?/),
        page.getByRole('link', { name: 'Xem theo từng đơn vị trực thuộc (cán bộ)' }).click(),
      ]);
      const drill = await page.locator('main').innerText();
      assert.match(drill, /đơn vị trực thuộc/);
      const rows = await page.locator('#kpi-children ~ .table-wrap tbody tr').count();
      assert.ok(rows >= 2, `the unit and its children: ${rows} rows`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a[href^="/quan-tri/chi-so/don-vi-truc-thuoc.xlsx"]').click(),
      ]);
      assert.equal(await download.failure(), null);
      const bytes = readFileSync(await download.path());
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    } finally {
      await context.close();
    }
  });

  test('the public dashboard reads on a phone without JavaScript', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, locale: 'vi-VN', javaScriptEnabled: false,
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${server.baseUrl}/chi-so?from=2025-01-01&to=2025-12-31`);
      assert.equal(response.status(), 200);
      assert.match(await page.locator('h1').innerText(), /Chỉ số dịch vụ công trực tuyến/);
      assert.match(await page.locator('main').innerText(), /Tỷ lệ người dân hài lòng \(khảo sát\)/);
      // Staff pages are not public.
      const staff = await page.goto(`${server.baseUrl}/quan-tri/chi-so/nhap-du-lieu`);
      assert.ok(staff.status() !== 200 || /\/dang-nhap/.test(page.url()), `upload page answered ${staff.status()} at ${page.url()}`);
      assert.doesNotMatch(await page.locator('main').innerText(), /Loại dữ liệu/);
    } finally {
      await context.close();
    }
  });

  test('server stops cleanly on SIGTERM (exit code 0, no sanitizer report)', async () => {
    const result = await server.stop();
    server = null;
    assert.equal(result.code, 0, result.output);
  });
});
