// The published site seen in a real Chromium (tests/cli/browser.rs runs this).
//
// Reads ONE JSON job on stdin, runs it in one headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is downloaded), prints ONE JSON result on stdout.
// Diagnostics go to stderr. Exit 0 when the job ran, even if the checks found problems (the
// Rust test judges the values); non-zero only when the harness itself failed.
//
// Job (every key optional):
//   { "pages": [{"name", "url"}],
//     "viewports": [{"name", "width", "height", "mobile"}],
//     "checks": ["layout", "axe", "keyboard", "dark"],
//     "screenshots": "/abs/dir",
//     "search": [{"url", "query"}],
//     "print": [{"url", "pdf"}],
//     "watch": [{"url", "edit": {"file", "find", "replace"}, "expect", "timeout_ms"}] }
// Result:
//   { "pages": {name: {viewport: {url, layout, axe, keyboard, dark, screenshot, errors}}},
//     "search": [{url, query, results: [{text, href}], status, errors}],
//     "print": [{url, pdf, bytes, text (the page's text in print media), errors}],
//     "watch": [{url, polls, before, found, ms, reloads, text (when not found), errors}] }
// A watch job opens `url` at a phone's size, saves `file` with the first `find` replaced by
// `replace`, and measures the milliseconds from the save until the page (reloaded by
// `sopctl preview`) shows `expect`; see watch() below.
//
// By hand:  npm ci --prefix tests/browser
//           echo '{"pages":[{"name":"index","url":"file:///abs/dist/index.html"}],
//                  "checks":["layout"]}' | node tests/browser/check.mjs

import { readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

// Nothing but the result may reach stdout.
console.log = console.error;
console.info = console.error;

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps calling home and floods the log with refused connections.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DEFAULT_VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, mobile: true },
  { name: 'desktop', width: 1280, height: 800, mobile: false },
];
const PHONE = DEFAULT_VIEWPORTS[0];
const DESKTOP = DEFAULT_VIEWPORTS[1];

/** How many times the keyboard check presses Tab at most. */
const MAX_TABS = 200;

function executablePath() {
  const candidates = [
    process.env.SOPCTL_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter(Boolean);
  for (const p of candidates) {
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // next
    }
  }
  throw new Error(
    `no Chromium at ${candidates.join(', ')} (apt-get install chromium, or set SOPCTL_CHROMIUM)`,
  );
}

function readJob() {
  const text = readFileSync(0, 'utf8');
  if (!text.trim()) return {};
  return JSON.parse(text);
}

function message(e) {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** A browser context with a true `width` × `height` viewport (device emulation, not a window). */
async function newContext(browser, vp) {
  const mobile = Boolean(vp.mobile);
  return browser.newContext({
    viewport: { width: vp.width, height: vp.height },
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: mobile ? 3 : 1,
    colorScheme: 'light',
  });
}

/** A page in `context` whose script errors, console errors and failed requests land in `errors`. */
async function newPage(context, errors) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(`pageerror: ${message(e)}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium asks a web server for /favicon.ico by itself when a page names no icon; its
    // 404 is not the page's error (a file:// page never asks).
    const at = m.location()?.url ?? '';
    const favicon = /^https?:\/\/[^/]+\/favicon\.ico$/.test(at);
    if (favicon && m.text().startsWith('Failed to load resource')) return;
    errors.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    errors.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`);
  });
  return page;
}

async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

// ---------------------------------------------------------------------------------------------
// In-page code. These functions are serialized into the page: they use nothing from this module
// except HELPERS, which is prepended to every one of them.

const HELPERS = String.raw`
  const describe = (el) => {
    if (!el || el.nodeType !== 1) return String(el);
    const part = (e) => {
      let s = e.localName;
      if (e.id) return s + '#' + e.id;
      const classes = [...e.classList].slice(0, 2);
      if (classes.length) s += '.' + classes.join('.');
      const href = e.getAttribute('href');
      if (href) s += '[href="' + href.slice(0, 60) + '"]';
      return s;
    };
    const parts = [];
    for (let e = el; e && e !== document.documentElement && parts.length < 4; e = e.parentElement) {
      parts.unshift(part(e));
      if (e.id) break;
    }
    return parts.join(' > ');
  };
  const shown = (el) =>
    el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) &&
    el.getClientRects().length > 0;
  const squash = (s, n) => {
    const t = (s || '').replace(/\s+/g, ' ').trim();
    return n && t.length > n ? t.slice(0, n) : t;
  };
`;

function inPage(page, fn, arg) {
  return page.evaluate(`(() => { ${HELPERS}; return (${fn})(${JSON.stringify(arg ?? null)}); })()`);
}

/* global describe, shown, squash */

function layoutInPage(asked) {
  const innerWidth = window.innerWidth;
  const de = document.documentElement;
  // A phone widens the layout viewport to fit a page wider than the screen (innerWidth then
  // exceeds the width asked): elements are measured against the width asked.
  const limit = Math.min(innerWidth, asked ?? innerWidth) + 1;

  // An ancestor (below body) that scrolls horizontally by itself: what overflows inside it
  // stays in its own box ("tables scroll inside their own box").
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && a.scrollWidth > a.clientWidth)
        return a;
    }
    return null;
  };

  // The box `from` and its ancestors below body let be seen: cut by every one that clips its
  // overflow (a visually hidden 1 px box, a clip: rect(…)); with `scrolling` false, a box that
  // scrolls does not cut (what is scrolled away can be scrolled to). Body and html are not
  // counted: what they would clip is the page overflowing the viewport, the very thing looked
  // for.
  const clipBox = (from, scrolling) => {
    const box = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    const cut = (l, t, r, b) => {
      box.left = Math.max(box.left, l);
      box.top = Math.max(box.top, t);
      box.right = Math.min(box.right, r);
      box.bottom = Math.min(box.bottom, b);
    };
    const clips = (o) => o === 'hidden' || o === 'clip' || (scrolling && o !== 'visible');
    for (let a = from; a && a !== document.body && a !== de; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const r = a.getBoundingClientRect();
      if (clips(cs.overflowX)) cut(r.left, -Infinity, r.right, Infinity);
      if (clips(cs.overflowY)) cut(-Infinity, r.top, Infinity, r.bottom);
      const m = cs.clip && cs.clip !== 'auto' ? cs.clip.match(/rect\(([^)]*)\)/) : null;
      if (m) {
        // rect(top right bottom left), each measured from the box's top or left edge.
        const v = m[1].split(/[\s,]+/);
        const at = (i, origin, otherwise) => (v[i] === 'auto' ? otherwise : origin + parseFloat(v[i]));
        cut(at(3, r.left, r.left), at(0, r.top, r.top), at(1, r.left, r.right), at(2, r.top, r.bottom));
      }
    }
    return box;
  };

  // Every visible element past the right edge; only the outermost of each nest is listed
  // (a wide table's cells are not listed again), `inside` counts the others.
  const overflowing = [];
  const listed = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= limit) continue;
    if (scroller(el)) continue;
    const seen = clipBox(el.parentElement, true);
    if (Math.min(r.right, seen.right) <= limit || seen.right <= seen.left) continue;
    const outer = listed.find((o) => o.el.contains(el));
    if (outer) {
      outer.item.inside += 1;
      continue;
    }
    const item = {
      selector: describe(el),
      text: squash(el.innerText ?? el.textContent, 60),
      right: Math.round(r.right * 10) / 10,
      width: Math.round(r.width * 10) / 10,
      inside: 0,
    };
    listed.push({ el, item });
    overflowing.push(item);
  }

  // Tokens that must never break inside: SOP-style IDs, ISO dates, versions. The visible text
  // is joined per block (a token split over <span>/<ins> still counts), with a separator at every
  // block boundary, <br> and hidden or skipped text.
  const BLOCKISH = (el) => {
    const d = getComputedStyle(el).display;
    return d !== 'inline' && d !== 'contents';
  };
  const blockOf = (node) => {
    for (let e = node.parentElement; e; e = e.parentElement) if (BLOCKISH(e)) return e;
    return document.body;
  };
  let joined = '';
  const pieces = []; // {node, start (in joined), length}
  let lastBlock = null;
  const walker = document.createTreeWalker(
    document.body,
    NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
  );
  const separate = () => {
    if (!joined.endsWith('\n')) joined += '\n';
    lastBlock = null;
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      if (n.localName === 'br' || n.localName === 'img' || BLOCKISH(n)) separate();
      continue;
    }
    const parent = n.parentElement;
    // <pre> may wrap long code; text in a hidden element has no lines.
    if (
      !parent ||
      parent.closest('pre, script, style, template, textarea') ||
      !parent.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })
    ) {
      separate();
      continue;
    }
    const block = blockOf(n);
    if (block !== lastBlock) separate();
    lastBlock = block;
    pieces.push({ node: n, start: joined.length, length: n.data.length });
    joined += n.data;
  }

  const clips = new Map();
  const clipOf = (el) => {
    if (!clips.has(el)) clips.set(el, clipBox(el, false));
    return clips.get(el);
  };
  const linesOf = (start, end) => {
    const rects = [];
    for (const p of pieces) {
      const a = Math.max(start, p.start);
      const b = Math.min(end, p.start + p.length);
      if (a >= b) continue;
      const range = document.createRange();
      range.setStart(p.node, a - p.start);
      range.setEnd(p.node, b - p.start);
      // Only what can be seen: a visually hidden table header wraps in its 1 px box unseen.
      const seen = clipOf(p.node.parentElement);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, seen.left);
        const right = Math.min(r.right, seen.right);
        const top = Math.max(r.top, seen.top);
        const bottom = Math.min(r.bottom, seen.bottom);
        if (right - left > 0.5 && bottom - top > 0) rects.push({ top, bottom });
      }
    }
    rects.sort((x, y) => x.top - y.top);
    const lines = [];
    for (const r of rects) {
      const mid = (r.top + r.bottom) / 2;
      const line = lines.find((l) => Math.abs(l.top - r.top) <= 2 || (mid > l.top && mid < l.bottom));
      if (!line) lines.push({ top: r.top, bottom: r.bottom });
    }
    return lines.length;
  };
  const pieceAt = (offset) => pieces.find((p) => offset >= p.start && offset < p.start + p.length);

  const TOKENS = [
    ['id', /\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g],
    ['date', /\b\d{4}-\d{2}-\d{2}\b/g],
    ['version', /\bv?\d+\.\d+(?:\.\d+)?\b/g],
  ];
  const broken = [];
  let tokens = 0;
  for (const [kind, re] of TOKENS) {
    for (const m of joined.matchAll(re)) {
      tokens += 1;
      const lines = linesOf(m.index, m.index + m[0].length);
      if (lines > 1) {
        const p = pieceAt(m.index);
        broken.push({ text: m[0], kind, lines, selector: p ? describe(p.node.parentElement) : '' });
      }
    }
  }

  return {
    innerWidth,
    clientWidth: de.clientWidth,
    scrollWidth: de.scrollWidth,
    overflowing,
    broken,
    tokens,
  };
}

// The visible elements Tab should reach: links, form controls, [tabindex >= 0], a <details>'
// summary. (Chromium also stops at a scrolling box with nothing focusable inside, so `reached`
// may exceed this count; other browsers do not, which is what axe's scrollable-region-focusable
// reports.)
function focusablesInPage() {
  const sel =
    'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex], ' +
    'details > summary:first-of-type, [contenteditable="true"]';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('[inert]')) continue;
    const ti = el.getAttribute('tabindex');
    if (ti !== null && ti.trim() !== '' && Number(ti) < 0) continue;
    if (!shown(el)) continue;
    out.push(el);
  }
  window.__sopctlFocusables = out;
  window.__sopctlSeen = new Map();
  return out.length;
}

function focusedInPage() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { done: 'body' };
  if (window.__sopctlSeen.has(el)) return { done: 'again', first: window.__sopctlSeen.get(el) };
  window.__sopctlSeen.set(el, window.__sopctlSeen.size);
  const cs = getComputedStyle(el);
  const transparent = (c) => /^rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
  const outline =
    cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
  const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
  const r = el.getBoundingClientRect();
  const inView = r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth;
  // Covered by something else (a sticky header) at its centre?
  let obscured = false;
  if (inView) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    obscured = Boolean(hit) && !el.contains(hit) && !hit.contains(el);
  }
  return {
    tag: el.localName,
    href: el.getAttribute('href') ?? undefined,
    id: el.id || undefined,
    description: describe(el),
    text: squash(el.innerText ?? el.value ?? '', 40),
    visible: outline || shadow,
    outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
    boxShadow: cs.boxShadow,
    inView,
    obscured,
  };
}

function notReachedInPage() {
  return (window.__sopctlFocusables || [])
    .filter((el) => !window.__sopctlSeen.has(el))
    .map((el) => describe(el));
}

function bodyColoursInPage() {
  const b = getComputedStyle(document.body);
  const h = getComputedStyle(document.documentElement);
  return {
    background: b.backgroundColor,
    color: b.color,
    htmlBackground: h.backgroundColor,
    colorScheme: h.colorScheme,
  };
}

// ---------------------------------------------------------------------------------------------

async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === 'object')) return;
  // A Content-Security-Policy would block an inline <script>; evaluation through the DevTools
  // protocol is not subject to it.
  const csp = await page.evaluate(
    () => !!document.querySelector('meta[http-equiv="Content-Security-Policy" i]'),
  );
  if (csp) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  else await page.addScriptTag({ path: AXE_PATH });
  if (!(await page.evaluate(() => typeof window.axe === 'object')))
    throw new Error('axe-core did not load into the page');
}

async function runAxe(page, options) {
  await injectAxe(page);
  const results = await page.evaluate(
    (opts) => window.axe.run(document, opts),
    { resultTypes: ['violations'], ...options },
  );
  return {
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 5).map((n) => ({
        target: n.target.map(String),
        html: n.html.slice(0, 120),
        summary: (n.failureSummary || '').slice(0, 240),
      })),
    })),
    incomplete: results.incomplete.map((v) => ({ id: v.id, count: v.nodes.length })),
  };
}

async function keyboard(page) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  const focusables = await inPage(page, focusablesInPage);
  const stops = [];
  let end = 'limit';
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const f = await inPage(page, focusedInPage);
    if (f.done) {
      end = f.done;
      break;
    }
    stops.push(f);
  }
  const notReached = await inPage(page, notReachedInPage);
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  return {
    reached: stops.length,
    focusables,
    end,
    invisible: stops.filter((s) => !s.visible).map((s) => s.description),
    outOfView: stops.filter((s) => !s.inView).map((s) => s.description),
    obscured: stops.filter((s) => s.inView && s.obscured).map((s) => s.description),
    notReached,
    stops,
  };
}

async function screenshot(page, dir, file) {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, file);
  // CSS pixels: a phone page is 390 px wide, not 1170 (deviceScaleFactor 3), so the picture of
  // a long page stays viewable.
  await page.screenshot({ path: p, fullPage: true, scale: 'css' });
  return p;
}

/** One check, its failure recorded in the result instead of stopping the run. */
async function attempt(fn) {
  try {
    return await fn();
  } catch (e) {
    console.error(`check failed: ${e?.stack ?? e}`);
    return { error: message(e) };
  }
}

async function checkPage(browser, job, pageSpec, vp) {
  const checks = new Set(job.checks ?? ['layout']);
  const errors = [];
  const context = await newContext(browser, vp);
  const out = { url: pageSpec.url };
  try {
    const page = await newPage(context, errors);
    try {
      await open(page, pageSpec.url);
    } catch (e) {
      out.error = `cannot open: ${message(e)}`;
      return out;
    }
    if (checks.has('layout')) out.layout = await attempt(() => inPage(page, layoutInPage, vp.width));
    if (job.screenshots) {
      out.screenshot = await attempt(() =>
        screenshot(page, job.screenshots, `${pageSpec.name}-${vp.name}.png`),
      );
    }
    if (checks.has('axe')) out.axe = await attempt(() => runAxe(page, {}));
    if (checks.has('dark')) {
      out.dark = await attempt(async () => {
        const light = await inPage(page, bodyColoursInPage);
        await page.emulateMedia({ colorScheme: 'dark' });
        const axe = await runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast'] } });
        const dark = await inPage(page, bodyColoursInPage);
        const shot = await screenshot(page, job.screenshots, `${pageSpec.name}-${vp.name}-dark.png`);
        await page.emulateMedia({ colorScheme: 'light' });
        return { ...axe, ...dark, light, screenshot: shot };
      });
    }
    if (checks.has('keyboard')) out.keyboard = await attempt(() => keyboard(page));
  } finally {
    out.errors = errors;
    await context.close();
  }
  return out;
}

async function search(browser, item) {
  const errors = [];
  const context = await newContext(browser, PHONE);
  const out = { url: item.url, query: item.query };
  try {
    const page = await newPage(context, errors);
    await open(page, item.url);
    const box = page.locator('input[type=search]');
    if ((await box.count()) === 0) {
      out.error = 'no search box';
      return out;
    }
    out.statusLive = await page
      .locator('#search-status')
      .getAttribute('aria-live', { timeout: 500 })
      .catch(() => null);
    const before = await page.evaluate(
      () => document.querySelector('#search-status')?.textContent ?? null,
    );
    await box.first().fill(item.query); // fill dispatches the input event
    try {
      await page.waitForFunction(
        (prev) =>
          document.querySelectorAll('#search-results li').length > 0 ||
          (document.querySelector('#search-status')?.textContent ?? null) !== prev,
        before,
        { timeout: 2000, polling: 50 },
      );
      out.timedOut = false;
    } catch {
      out.timedOut = true;
    }
    // Let a two-step update ("Searching…", then the results) settle.
    let last = '';
    for (let i = 0; i < 10; i++) {
      const now = await page.evaluate(
        () =>
          (document.querySelector('#search-results')?.innerHTML ?? '') +
          (document.querySelector('#search-status')?.textContent ?? ''),
      );
      if (now === last) break;
      last = now;
      await page.waitForTimeout(100);
    }
    out.results = await page.evaluate(() =>
      [...document.querySelectorAll('#search-results li')].map((li) => {
        const a = li.querySelector('a');
        return {
          text: (li.innerText || li.textContent || '').replace(/\s+/g, ' ').trim(),
          href: a ? a.href : null,
        };
      }),
    );
    out.status = await page.evaluate(
      () => document.querySelector('#search-status')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
    );
  } catch (e) {
    out.error = message(e);
  } finally {
    out.errors = errors;
    await context.close();
  }
  return out;
}

async function print(browser, item) {
  const errors = [];
  const context = await newContext(browser, DESKTOP);
  const out = { url: item.url, pdf: item.pdf };
  try {
    const page = await newPage(context, errors);
    await open(page, item.url);
    await page.emulateMedia({ media: 'print' });
    // The text a reader of the printout should find (what print media shows), to compare with
    // the PDF's.
    out.text = await page.evaluate(() => document.body.innerText);
    mkdirSync(path.dirname(item.pdf), { recursive: true });
    await page.pdf({ path: item.pdf, format: 'A4', printBackground: true });
    out.bytes = statSync(item.pdf).size;
  } catch (e) {
    out.error = message(e);
  } finally {
    out.errors = errors;
    await context.close();
  }
  return out;
}

/** The address `sopctl preview`'s pages poll for the build's number. */
const GENERATION = '/__sopctl/generation';

/**
 * Opens `item.url` at a phone's size; once the page's reload script knows the current build
 * (it has asked for GENERATION twice: the first answer is what it compares later ones with),
 * saves `item.edit.file` with the first `find` replaced by `replace` and measures the time from
 * the save until `document.body.innerText` contains `item.expect` (polled every 20 ms, through
 * the reload, up to `timeout_ms`). `before`: the text was there before the save; `reloads`:
 * how many times the page was loaded again after it; `ms` is null when never found.
 */
async function watch(browser, item) {
  const errors = [];
  const context = await newContext(browser, PHONE);
  const timeout = Number(item.timeout_ms ?? 5000);
  const out = { url: item.url, polls: 0, before: null, found: false, ms: null, reloads: 0 };
  try {
    const page = await newPage(context, errors);
    let polls = 0;
    page.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname === GENERATION) polls += 1;
    });
    await open(page, item.url);
    const settled = Date.now() + 5000;
    while (polls < 2 && Date.now() < settled) await page.waitForTimeout(20);
    out.polls = polls;
    const text = async () => {
      try {
        return await page.evaluate(() => document.body?.innerText ?? '');
      } catch {
        return ''; // the page is being reloaded: its document is gone for a moment
      }
    };
    out.before = (await text()).includes(item.expect);

    const { file, find, replace } = item.edit;
    const source = readFileSync(file, 'utf8');
    const at = source.indexOf(find);
    if (at < 0) throw new Error(`${file} does not contain ${JSON.stringify(find)}`);
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) out.reloads += 1;
    });
    writeFileSync(file, source.slice(0, at) + replace + source.slice(at + find.length));
    const saved = performance.now();
    for (;;) {
      if ((await text()).includes(item.expect)) {
        out.ms = Math.round(performance.now() - saved);
        out.found = true;
        break;
      }
      if (performance.now() - saved > timeout) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    out.text = out.found ? undefined : squashText(await text(), 400);
  } catch (e) {
    out.error = message(e);
  } finally {
    out.errors = errors;
    await context.close();
  }
  return out;
}

function squashText(s, n) {
  const t = (s || '').replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n) : t;
}

async function main() {
  const job = readJob();
  const timeout = Number(job.timeoutSeconds ?? 600);
  const watchdog = setTimeout(() => {
    console.error(`check.mjs: the job took longer than ${timeout} s`);
    process.exit(3);
  }, timeout * 1000);
  watchdog.unref();

  const browser = await chromium.launch({
    executablePath: executablePath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const result = {};
  try {
    const viewports = job.viewports ?? DEFAULT_VIEWPORTS;
    if (job.pages) {
      result.pages = {};
      for (const p of job.pages) {
        result.pages[p.name] = {};
        for (const vp of viewports) {
          console.error(`check.mjs: ${p.name} at ${vp.name} (${vp.width}×${vp.height})`);
          result.pages[p.name][vp.name] = await checkPage(browser, job, p, vp);
        }
      }
    }
    if (job.search) {
      result.search = [];
      for (const s of job.search) result.search.push(await search(browser, s));
    }
    if (job.print) {
      result.print = [];
      for (const p of job.print) result.print.push(await print(browser, p));
    }
    if (job.watch) {
      result.watch = [];
      for (const w of job.watch) result.watch.push(await watch(browser, w));
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  console.error(`check.mjs failed: ${e?.stack ?? e}`);
  process.exit(2);
});
