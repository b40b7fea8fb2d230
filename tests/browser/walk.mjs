// Walks the portal in a real headless Chromium, as people use it: every page kind in
// Vietnamese and English at desktop and phone width, axe-core's WCAG 2.1 A/AA rules on each,
// a search followed by a facet link, and a keyboard-only walk from the skip link to a result.
// Prints one JSON report on stdout; tests/tests/browser.rs judges it.
//
//   node tests/browser/walk.mjs BASE_URL [SCREENSHOT_DIR]
//
// playwright-core and axe-core come from $DANHMUC_NPM_DIR/node_modules (scripts/setup installs
// them); Chromium from $CHROMIUM (default /usr/bin/chromium, Debian's package).
import { createRequire } from 'node:module';
import fs from 'node:fs';

const npm = process.env.DANHMUC_NPM_DIR || `${process.env.HOME}/.cache/danhmuc-npm`;
const require = createRequire(`${npm}/node_modules/`);
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [base, shots] = process.argv.slice(2);
if (!base) {
  console.error('usage: walk.mjs BASE_URL [SCREENSHOT_DIR]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const report = { pages: [], flows: {} };

async function open(path, lang, width, height) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
    bypassCSP: true,
  });
  const page = await context.newPage();
  const sep = path.includes('?') ? '&' : '?';
  const response = await page.goto(`${base}${path}${sep}lang=${lang}`, { waitUntil: 'load' });
  return { context, page, status: response.status() };
}

// One record page of each kind, found the way a visitor finds them.
const probe = await open('/search?kind=dataset&q=truong+hoc', 'vi', 1280, 900);
const dataset = await probe.page.getAttribute('ol.hits li h3 a', 'href');
await probe.page.goto(`${base}/search?kind=dataservice`);
const service = await probe.page.getAttribute('ol.hits li h3 a', 'href');
await probe.context.close();

const kinds = [
  ['home', '/'],
  ['search', '/search?q=truong+hoc'],
  ['dataset', dataset],
  ['dataservice', service],
  ['agencies', '/agencies'],
  ['agency', '/agencies/so-gddt'],
  ['database-catalogue', '/database-catalogue'],
  ['sparql', '/sparql'],
  ['signin', '/signin'],
];

for (const [name, path] of kinds) {
  for (const lang of ['vi', 'en']) {
    for (const [width, height, device] of [[1280, 900, 'desktop'], [360, 740, 'phone']]) {
      const { context, page, status } = await open(path, lang, width, height);
      await page.addScriptTag({ content: axeSource });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
      });
      const layout = await page.evaluate(() => ({
        htmlLang: document.documentElement.lang,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        h1: document.querySelectorAll('h1').length,
        scripts: [...document.querySelectorAll('script[src]')].map((s) => s.src),
      }));
      if (shots) {
        fs.mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: `${shots}/${name}-${lang}-${device}.png`, fullPage: false });
      }
      report.pages.push({ name, path, lang, device, status, axe, ...layout });
      await context.close();
    }
  }
}

// Search, then follow a facet link: the narrowed page says how many, as the link did.
{
  const { context, page } = await open('/', 'vi', 1280, 900);
  await page.fill('#q', 'truong hoc');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  const first = await page.textContent('ol.hits li h3 a');
  const link = page.locator('aside.facets a').first();
  const count = (await link.locator('xpath=following-sibling::span[@class="count"]').textContent()).trim();
  await Promise.all([page.waitForNavigation(), link.click()]);
  const total = (await page.textContent('#found')).trim();
  report.flows.facet = { first, count, total, url: page.url() };
  await context.close();
}

// Keyboard only: Tab reaches the skip link first, Enter moves focus to the main content;
// the search box is reachable by Tab, Enter searches, and a result link gets focus by Tab.
{
  const { context, page } = await open('/', 'vi', 1280, 900);
  await page.keyboard.press('Tab');
  const firstFocus = await page.evaluate(() => document.activeElement.className);
  await page.keyboard.press('Enter');
  const afterSkip = await page.evaluate(() => document.activeElement.id || document.location.hash);
  let reachedSearch = false;
  for (let i = 0; i < 30 && !reachedSearch; i++) {
    await page.keyboard.press('Tab');
    reachedSearch = await page.evaluate(() => document.activeElement.id === 'q');
  }
  await page.keyboard.type('du lich');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  let resultFocused = false;
  for (let i = 0; i < 40 && !resultFocused; i++) {
    await page.keyboard.press('Tab');
    resultFocused = await page.evaluate(
      () => !!document.activeElement.closest && !!document.activeElement.closest('ol.hits'),
    );
  }
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  report.flows.keyboard = { firstFocus, afterSkip, reachedSearch, resultFocused, outline, url: page.url() };
  await context.close();
}

await browser.close();
console.log(JSON.stringify(report));
