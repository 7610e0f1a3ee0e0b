/**
 * The console's Site settings page in Chromium: an admin reads what the recontact window means,
 * changes it and finds it kept after a reload and in GET /v1/site-settings; a value the API refuses
 * shows the API's message at the field; a save over someone else's newer save is refused with a 412
 * that the page explains; an analyst reads it with no save control; the page reads the same in
 * Chinese; axe-core finds nothing in either language.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, toastSays, watchProblems } from './console-support';
import { axeViolations, type E2e, SCREENSHOTS, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

const stored = async () =>
  (await e2e.runtime.request('GET', '/v1/site-settings', { token: e2e.runtime.tokens.analyst })).body as {
    recontactDays: number;
    revision: number;
  };

describe('Site settings page', () => {
  it('an admin changes the recontact window; it is kept; bad input and a concurrent save are explained', async () => {
    const { context, page } = await e2e.open('/');
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Site settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Site settings' }).waitFor();
    await page.getByText('A script tag’s data-recontact-days attribute overrides this setting').waitFor();
    const field = page.getByLabel('Days before another survey may ask');
    expect(await field.inputValue()).toBe('14');
    expect(await page.getByTestId('recontact-days').textContent()).toBe('14 days');
    expect(await axeViolations(page)).toEqual([]);

    // Out of range: the API's own message, at the field; nothing saved.
    await field.fill('400');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const fieldError = page.locator('#recontact-days-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/365/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await stored()).recontactDays).toBe(14);
    expect(await axeViolations(page)).toEqual([]);

    await field.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await toastSays(page, 'Saved');
    await expect.poll(() => page.getByTestId('recontact-days').textContent()).toBe('30 days');
    expect(await stored()).toMatchObject({ recontactDays: 30, revision: 1 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Site settings' }).waitFor();
    await expect.poll(() => page.getByLabel('Days before another survey may ask').inputValue()).toBe('30');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-site-settings.png'), fullPage: true });

    // Someone else saves meanwhile (another admin, through the API): this page's save is refused and says so.
    const other = await e2e.runtime.request('PUT', '/v1/site-settings', {
      token: e2e.runtime.tokens.admin,
      body: { recontactDays: 7 },
    });
    expect(other.status, other.text).toBe(200);
    await page.getByLabel('Days before another survey may ask').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Someone else saved the site settings after you opened this page').waitFor();
    expect((await stored()).recontactDays).toBe(7);
    await page.getByRole('button', { name: 'Reload the settings' }).click();
    await expect.poll(() => page.getByTestId('recontact-days').textContent()).toBe('7 days');
    // Now on their revision, the change goes through; 0 reads as off.
    await page.getByLabel('Days before another survey may ask').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByTestId('recontact-days').textContent()).toBe('Off (0 days)');
    expect((await stored()).recontactDays).toBe(0);

    // The same page in Chinese.
    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '站点设置' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: '站点设置' }).waitFor();
    expect(await page.getByLabel('再次询问前的天数').inputValue()).toBe('0');
    await page.getByRole('button', { name: '保存设置' }).waitFor();
    await page.getByText('脚本标签的 data-recontact-days 属性会在该页面上覆盖此设置。').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
    // Chromium logs the two refusals this test provokes (400, 412) as failed loads; nothing else may appear.
    expect(problems.filter((p) => !/status of (400|412) /.test(p))).toEqual([]);
    await context.close();
  });

  it('an analyst reads the window with no save control', async () => {
    const { context, page } = await e2e.open('/');
    await signIn(page, 'analyst', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/settings`);
    await page.getByText('Only admins can change site settings').waitFor();
    expect(await page.getByTestId('recontact-days').textContent()).toBe('Off (0 days)');
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByRole('spinbutton').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
