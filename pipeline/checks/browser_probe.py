"""The script the browser gate runs inside each page, in an isolated world of its own.

An isolated world shares the page's DOM but none of its JavaScript: a page script cannot
replace ``innerText``, ``getClientRects`` or the canvas the probe measures with. The probe
installs ``globalThis.l10nGate`` in that world; ``browser.py`` calls its functions:

- ``settle()``: fonts loaded, every finite animation and transition at its end;
- ``locate(args)``: where the pointer goes to hover the notice or its ancestors;
- ``measure(args)``: the notice's text, size, the reading order of its glyph boxes, and the
  region to photograph, with the notice centred in the viewport;
- ``conceal(on)``: paint the notice's own text transparent (a CSS highlight: no DOM change, no
  restyle of anything else), to photograph what is behind it;
- ``compare(withText, withoutText, layout)``: the two screenshots -> which glyphs are painted
  and the contrast of their pixels against the pixels behind them (it reads nothing else: the
  same screenshots and the same pixel boxes give the same answer, see ``_pixel_boxes``);
- ``signature()``: what decides how the notice is laid out, to recognise versions alike;
- ``assets()``: every image (decoded or not) and every URL the page refers to;
- ``centre()``: the notice in the middle of the viewport, for a reviewer's screenshot.
"""

PROBE = r"""
(() => {
const HIGHLIGHT = 'l10n-gate-probe';
const sheet = new CSSStyleSheet();
sheet.replaceSync(`::highlight(${HIGHLIGHT}) { color: transparent !important;
  -webkit-text-fill-color: transparent !important; text-shadow: none !important;
  text-decoration-color: transparent !important; }`);
const px = (value) => parseFloat(value) || 0;
const round = (value) => Math.round(value * 10) / 10;
const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + [...el.classList].map((c) => '.' + c).join('');
const quote = (text) => JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text);
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const STRONG = /[\p{L}\p{N}]/u;
const MARK = /^\p{M}+$/u;
let concealed = null;

function notice() {
  const found = document.querySelectorAll('aside.disclaimer');
  return found.length === 1 ? found[0] : found.length;
}

function related(el, aside) {
  return el && (el === aside || el.contains(aside) || aside.contains(el));
}

async function settle() {
  await document.fonts.ready;
  const endless = [];
  const aside = notice();
  for (const animation of document.getAnimations()) {
    try {
      animation.finish();
    } catch (e) {  // an endless animation has no end to jump to
      const target = animation.effect && animation.effect.target;
      if (typeof aside !== 'number' && related(target, aside)) {
        endless.push(`${animation.animationName || animation.transitionProperty || 'an animation'} on ${name(target)}`
          + (animation.effect.pseudoElement || ''));
      }
      animation.pause();
    }
  }
  return endless;
}

function conceal(on) {
  const aside = notice();
  if (on) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const range = new Range();
    if (typeof aside !== 'number') range.selectNodeContents(aside);
    CSS.highlights.set(HIGHLIGHT, new Highlight(range));
  } else {
    CSS.highlights.delete(HIGHLIGHT);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  }
  return true;
}

// The visible text nodes of the notice, each with its words and graphemes and their boxes.
function glyphs(aside, lang) {
  const words = new Intl.Segmenter(lang || undefined, {granularity: 'word'});
  const graphemes = new Intl.Segmenter(lang || undefined, {granularity: 'grapheme'});
  const walker = document.createTreeWalker(aside, NodeFilter.SHOW_TEXT);
  const found = [];
  const range = new Range();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    for (const word of words.segment(text)) {
      if (!/\S/u.test(word.segment)) continue;
      const parts = [];
      for (const g of graphemes.segment(word.segment)) {
        if (!/\S/u.test(g.segment) || MARK.test(g.segment)) continue;
        range.setStart(node, word.index + g.index);
        range.setEnd(node, word.index + g.index + g.segment.length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
        parts.push({text: g.segment, rects: rects.map((r) => [r.left, r.top, r.right, r.bottom])});
      }
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word.segment.length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      found.push({text: word.segment, node, graphemes: parts,
                  rects: rects.map((r) => [r.left, r.top, r.right, r.bottom]),
                  rtl: RTL.test(word.segment), strong: STRONG.test(word.segment)});
    }
  }
  return found;
}

const canvas = document.createElement('canvas');
const pen = canvas.getContext('2d', {willReadFrequently: true});

let penFor = null;
function fontOf(el) {
  if (penFor === el) return;
  const style = getComputedStyle(el);
  pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  pen.letterSpacing = '0px';
  pen.wordSpacing = '0px';
  penFor = el;
}

// Where to put the pointer: on the notice's centre, or just above it (on its ancestors only),
// with the notice centred in the viewport as measure() leaves it.
async function locate({hoverAbove}) {
  await settle();
  const aside = notice();
  if (typeof aside === 'number') return null;
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  let box = aside.getBoundingClientRect();
  window.scrollTo({left: 0, top: window.scrollY + box.top + box.height / 2 - height / 2, behavior: 'instant'});
  box = aside.getBoundingClientRect();
  const x = Math.min(width - 1, Math.max(0, box.left + box.width / 2));
  return hoverAbove ? [x, Math.max(0, box.top - 3)] : [x, Math.min(height - 1, Math.max(0, box.top + box.height / 2))];
}

// Everything but the pixels: text, size, order and overlap of the glyph boxes, where to look.
async function measure({expected, minFont}) {
  const endless = await settle();
  penFor = null;
  const aside = notice();
  if (typeof aside === 'number') {
    return {endless, problems: [aside ? `the page has ${aside} notices (aside.disclaimer); expected exactly one`
      : 'the notice (aside.disclaimer) is not in the page: a script or the template removed it']};
  }
  const problems = [];
  const result = {endless, problems};
  const shown = aside.innerText.split(/\s+/u).filter(Boolean).join(' ');
  const wanted = expected.split(/\s+/u).filter(Boolean).join(' ');
  if (shown !== wanted && shown.toLocaleLowerCase() !== wanted.toLocaleLowerCase()) {
    let same = 0;
    while (same < shown.length && shown[same] === wanted[same]) same++;
    const from = Math.max(0, same - 20);
    const part = (text) => (from ? '...' : '') + text.slice(from, same + 40) + (text.length > same + 40 ? '...' : '');
    problems.push(`the notice reads ${JSON.stringify(part(shown))}`
      + ` where the approved text reads ${JSON.stringify(part(wanted))}`);
  }
  if (!aside.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) {
    problems.push('the notice is not rendered (display, visibility, opacity or content-visibility hides it)');
    return result;
  }
  // Centre the notice in the viewport: clear of sticky headers and footers, as a reader scrolls it.
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  let box = aside.getBoundingClientRect();
  window.scrollTo({left: 0, top: window.scrollY + box.top + box.height / 2 - height / 2, behavior: 'instant'});
  box = aside.getBoundingClientRect();
  const lang = (aside.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
  const words = glyphs(aside, lang);
  if (!words.length) {
    problems.push('the notice has no text');
    return result;
  }
  const laidOut = words.filter((w) => w.rects.length);
  if (laidOut.length < words.length) {
    const missing = words.filter((w) => !w.rects.length).map((w) => w.text);
    problems.push(`${missing.length} of the notice's ${words.length} words are not laid out`
      + ` (${quote(missing.join(' '))})`);
  }
  // Within the page horizontally: a reader scrolls down, not sideways.
  const xs = laidOut.flatMap((w) => w.rects.flatMap((r) => [r[0], r[2]]));
  const ys = laidOut.flatMap((w) => w.rects.flatMap((r) => [r[1], r[3]]));
  const left = Math.min(...xs), right = Math.max(...xs), top = Math.min(...ys), bottom = Math.max(...ys);
  if (right <= 0 || left >= width) {
    problems.push(`the notice is off-screen: its text spans ${round(left)}..${round(right)} px,`
      + ` the page is 0..${width} px wide`);
  } else if (left < -1 || right > width + 1) {
    problems.push(`the notice sticks out of the page: its text spans ${round(left)}..${round(right)} px,`
      + ` the page is 0..${width} px wide`);
  }
  if (bottom - top > height - 16) {
    problems.push(`the notice's text is ${round(bottom - top)} px tall, more than the ${height} px screen:`
      + ' it cannot be checked');
  }
  if (window.scrollY + top < 0) problems.push('the notice is above the top of the page, where no one can scroll');

  // Reading order and overlap: inside each word the graphemes advance in the word's own direction
  // (a word of Arabic letters right to left, any other left to right, top to bottom in vertical
  // writing), and each takes its natural width. Bidi overrides, mirroring and negative letter
  // spacing break one or the other; legitimate bidi reorders whole words, never the letters of one.
  const vertical = getComputedStyle(aside).writingMode.startsWith('vertical');
  let reversed = null, squeezed = null;
  for (const word of laidOut) {
    const placed = word.graphemes.filter((g) => g.rects.length);
    for (let i = 1; i < placed.length && !reversed; i++) {
      const [a, b] = [placed[i - 1].rects[0], placed[i].rects[0]];
      if (Math.abs((a[1] + a[3]) - (b[1] + b[3])) / 2 > (a[3] - a[1]) / 2 && !vertical) continue;  // wrapped
      const step = vertical ? ((b[1] + b[3]) - (a[1] + a[3])) / 2
        : (word.rtl ? (a[0] + a[2]) - (b[0] + b[2]) : (b[0] + b[2]) - (a[0] + a[2])) / 2;
      if (step < -0.5) reversed = word.text;
    }
    if (!word.strong || vertical || word.rects.length !== 1) continue;
    const el = word.node.parentElement;
    fontOf(el);
    const natural = pen.measureText(word.text).width;
    const drawn = word.rects[0][2] - word.rects[0][0];
    if (natural > 4 && drawn < 0.8 * natural && (!squeezed || drawn / natural < squeezed[1])) {
      squeezed = [word.text, drawn / natural];
    }
  }
  if (reversed) {
    problems.push(`the notice's letters are not in reading order (the word ${quote(reversed)} is drawn backwards)`);
  }
  if (squeezed) {
    problems.push(`the notice's letters overlap: ${quote(squeezed[0])} is drawn ${Math.round(squeezed[1] * 100)}%`
      + ' as wide as its font sets it');
  }

  // Size as drawn: the computed font size times the vertical scale of the glyph boxes (transforms,
  // zoom), at least minFont and no smaller than the body text (the size most of <main>'s
  // paragraph text has).
  const weights = new Map();
  for (const p of document.querySelectorAll('main p')) {
    const length = p.textContent.trim().length;
    if (aside.contains(p) || !length || !p.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const size = px(getComputedStyle(p).fontSize);
    weights.set(size, (weights.get(size) || 0) + length);
  }
  const bodySize = weights.size ? [...weights].sort((a, b) => b[1] - a[1])[0][0]
    : px(getComputedStyle(document.body).fontSize);
  let smallest = null;
  for (const word of laidOut) {
    if (!word.strong) continue;
    const el = word.node.parentElement;
    fontOf(el);
    const metrics = pen.measureText(word.text);
    const natural = metrics.fontBoundingBoxAscent + metrics.fontBoundingBoxDescent;
    const drawn = word.rects[0][3] - word.rects[0][1];
    const size = px(getComputedStyle(el).fontSize) * Math.min(1, natural > 0 ? drawn / natural : 1);
    if (!smallest || size < smallest[0]) smallest = [size, el];
  }
  if (smallest && smallest[0] < minFont - 0.05) {
    problems.push(`the notice's text is ${round(smallest[0])} px (${name(smallest[1])}), below ${minFont} px`);
  } else if (smallest && smallest[0] < bodySize - 0.05) {
    problems.push(`the notice's text is ${round(smallest[0])} px (${name(smallest[1])}),`
      + ` smaller than the body text (${round(bodySize)} px)`);
  }

  // The region to photograph: the text's boxes and the notice's own box, within the viewport.
  const region = {
    left: Math.max(0, Math.floor(Math.min(left, box.left))),
    top: Math.max(0, Math.floor(Math.min(top, box.top))),
    right: Math.min(width, Math.ceil(Math.max(right, box.right))),
    bottom: Math.min(height, Math.ceil(Math.max(bottom, box.bottom))),
  };
  const layout = laidOut.map((w) => ({text: w.text, rects: w.rects, strong: w.strong,
                                      graphemes: w.graphemes.map((g) => ({text: g.text, rects: g.rects}))}));
  return {endless, problems, region, layout, scrollX: window.scrollX, scrollY: window.scrollY};
}

async function pixels(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const board = new OffscreenCanvas(bitmap.width, bitmap.height);
  const paint = board.getContext('2d', {willReadFrequently: true});
  paint.drawImage(bitmap, 0, 0);
  return {width: bitmap.width, height: bitmap.height, data: paint.getImageData(0, 0, bitmap.width, bitmap.height).data};
}

const linear = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
const LINEAR = Array.from({length: 256}, (_, v) => linear(v));
const luminance = (d, i) => 0.2126 * LINEAR[d[i]] + 0.7152 * LINEAR[d[i + 1]] + 0.0722 * LINEAR[d[i + 2]];
const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
const hex = (d, i) => '#' + [d[i], d[i + 1], d[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
const INK = 4;  // a channel that changes by more than this when the text is made transparent is the text's paint

// The two screenshots of one region: which glyphs are painted, and their contrast.
async function compare(withText, withoutText, {region, layout, scale, minContrast}) {
  const [a, b] = [await pixels(withText), await pixels(withoutText)];
  const problems = [];
  if (a.width !== b.width || a.height !== b.height) {
    return {problems: ['the notice changed size while it was measured']};
  }
  const {width, height} = a;
  // ink[y][x] = 1 where the text's paint shows; an integral image answers "any ink in this box".
  const ink = new Uint8Array(width * height);
  const sums = new Uint32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const changed = Math.max(Math.abs(a.data[i] - b.data[i]), Math.abs(a.data[i + 1] - b.data[i + 1]),
                               Math.abs(a.data[i + 2] - b.data[i + 2])) > INK;
      ink[y * width + x] = changed ? 1 : 0;
      row += changed ? 1 : 0;
      sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1] + row;
    }
  }
  const box = (r) => {  // a CSS-pixel viewport rect -> device-pixel bounds in the screenshot
    const x0 = Math.max(0, Math.floor((r[0] - region.left) * scale));
    const y0 = Math.max(0, Math.floor((r[1] - region.top) * scale));
    const x1 = Math.min(width, Math.ceil((r[2] - region.left) * scale));
    const y1 = Math.min(height, Math.ceil((r[3] - region.top) * scale));
    return [x0, y0, Math.max(x0, x1), Math.max(y0, y1)];
  };
  const count = ([x0, y0, x1, y1]) => sums[y1 * (width + 1) + x1] - sums[y0 * (width + 1) + x1]
    - sums[y1 * (width + 1) + x0] + sums[y0 * (width + 1) + x0];
  const unpainted = [];
  let graphemes = 0, blank = 0;
  for (const word of layout) {
    let missing = !word.rects.some((r) => count(box(r)) > 0);
    for (const g of word.graphemes) {
      const wide = g.rects.filter((r) => r[2] - r[0] >= 1 && r[3] - r[1] >= 1);
      if (!wide.length) continue;  // part of a ligature: its word is checked
      graphemes += 1;
      if (!wide.some((r) => count(box(r)) > 0)) { blank += 1; missing = true; }
    }
    if (missing) unpainted.push(word.text);
  }
  if (unpainted.length) {
    problems.push(blank >= graphemes ? "the notice's text is not painted (covered, transparent, filtered or clipped)"
      : "part of the notice's text is not painted (covered, transparent, filtered or clipped): "
        + quote(unpainted.join(' ')));
    return {problems};
  }
  // Contrast per word: its ink colour (the pixel that differs most from what is behind it, at the
  // 95th percentile) against the worst of what is behind the word (the 2nd percentile: an image
  // or a gradient counts at its worst).
  const lumA = new Float32Array(width * height), lumB = new Float32Array(width * height);
  for (let p = 0, i = 0; p < width * height; p++, i += 4) {
    lumA[p] = luminance(a.data, i);
    lumB[p] = luminance(b.data, i);
  }
  const percentile = (values, count, share) => {
    const sorted = values.subarray(0, count).sort();
    return sorted[Math.min(count - 1, Math.max(0, Math.floor(count * share)))];
  };
  let scratch = new Float32Array(4096);
  let worst = null;
  for (const word of layout) {
    if (!word.strong) continue;
    for (const r of word.rects) {
      const [x0, y0, x1, y1] = box(r);
      if ((x1 - x0) * (y1 - y0) > scratch.length) scratch = new Float32Array((x1 - x0) * (y1 - y0));
      let n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * width + x;
          if (ink[p]) scratch[n++] = ratio(lumA[p], lumB[p]);
        }
      }
      if (!n) continue;
      const strong = percentile(scratch, n, 0.95);
      let inkAt = -1;
      for (let y = y0; y < y1 && inkAt < 0; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * width + x;
          if (ink[p] && Math.fround(ratio(lumA[p], lumB[p])) >= strong) { inkAt = p; break; }
        }
      }
      const text = lumA[inkAt];
      n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) scratch[n++] = ratio(text, lumB[y * width + x]);
      }
      const value = percentile(scratch, n, 0.02);
      let groundAt = y0 * width + x0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          if (Math.fround(ratio(text, lumB[y * width + x])) <= value) { groundAt = y * width + x; y = y1; break; }
        }
      }
      if (!worst || value < worst[0]) worst = [value, word.text, hex(a.data, inkAt * 4), hex(b.data, groundAt * 4)];
    }
  }
  if (worst && worst[0] < minContrast) {
    problems.push(`the notice's contrast is ${worst[0].toFixed(2)}:1 (${worst[2]} on ${worst[3]} as painted, `
      + `in ${quote(worst[1])}), below ${minContrast}:1`);
  }
  return {problems, contrast: worst ? worst[0] : null};
}

// The page as the stylesheet sees it: the notice's own markup and its ancestors', the head's
// styles and scripts, inline styles, and which style rules select anything in the page (under
// any condition: pseudo-elements and state pseudo-classes are dropped before matching). Two
// versions with the same signature lay the notice out by the same rules (see browser.py).
const STATE = /:(hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|target-within|checked|indeterminate|default|valid|invalid|in-range|out-of-range|required|optional|placeholder-shown|autofill|user-invalid|user-valid|playing|paused|fullscreen|modal|popover-open|open|closed|current|past|future)(?![\w-])/gi;
const PSEUDO_ELEMENT = /::?(before|after|first-line|first-letter|marker|placeholder|selection|backdrop|file-selector-button|target-text|spelling-error|grammar-error|cue|view-transition[\w-]*)(\([^)]*\))?|::(highlight|part|slotted|cue)\([^)]*\)/gi;
function selects(selector) {
  const bare = selector.replace(PSEUDO_ELEMENT, '').replace(STATE, '').trim();
  try {
    return document.querySelector(bare === '' || /[>+~,]\s*$/.test(bare) ? bare + '*' : bare) !== null;
  } catch (e) {
    return true;  // a selector querySelector cannot read counts as applying
  }
}
function signature() {
  const aside = notice();
  const chain = [];
  if (typeof aside !== 'number') {
    for (let el = aside; el; el = el.parentElement) chain.push(el === aside ? el.outerHTML : el.cloneNode(false).outerHTML);
  }
  const matched = [];
  let index = 0;
  const visit = (rules, parents) => {
    for (const rule of rules) {
      index += 1;
      let selector = parents;
      if (rule.selectorText !== undefined) {
        selector = parents && rule.selectorText.includes('&')
          ? rule.selectorText.replaceAll('&', `:is(${parents})`)
          : (parents ? `:is(${parents}) ${rule.selectorText}` : rule.selectorText);
        if (selects(selector)) matched.push(index);
      }
      if (rule.cssRules && rule.cssRules.length) visit(rule.cssRules, selector);
    }
  };
  for (const sheet of document.styleSheets) {
    try { visit(sheet.cssRules, ''); } catch (e) { matched.push(`unreadable ${sheet.href}`); }
  }
  const styled = [...document.querySelectorAll('[style]')].map((el) => name(el) + ' ' + el.getAttribute('style'));
  // what loads or styles (not the page's own data: canonical and alternate links, JSON-LD)
  const head = [...document.querySelectorAll(
    'link[rel~=stylesheet], link[rel~=preload], link[rel~=modulepreload], style, base, meta[http-equiv], '
    + 'meta[name=viewport], script:not([type]), script[type=""], script[type=module], script[type*=javascript i]')]
    .map((el) => el.outerHTML);
  return JSON.stringify({chain, matched, styled, head});
}

// What the page refers to: every image (and whether it decoded) and every URL it links or loads.
async function assets() {
  const broken = [];
  for (const img of document.images) {
    if (img.loading === 'lazy') img.loading = 'eager';
  }
  for (const img of document.images) {
    if (!img.getAttribute('src') && !img.getAttribute('srcset')) continue;
    try { await img.decode(); } catch (e) { /* judged below */ }
    if (!(img.complete && img.naturalWidth > 0)) broken.push(img.getAttribute('src') || img.getAttribute('srcset'));
  }
  const urls = [];
  const add = (el, attr, value) => {
    if (!value || !value.trim()) return;
    try { urls.push([el.tagName.toLowerCase(), attr, value.trim(), new URL(value.trim(), document.baseURI).href]); }
    catch (e) { urls.push([el.tagName.toLowerCase(), attr, value.trim(), '']); }
  };
  for (const el of document.querySelectorAll('[href], [src], [srcset], [poster], object[data]')) {
    for (const attr of ['href', 'src', 'poster', 'data']) {
      if (el.hasAttribute(attr) && (attr !== 'data' || el.tagName === 'OBJECT')) add(el, attr, el.getAttribute(attr));
    }
    if (el.hasAttribute('srcset')) {
      for (const part of el.getAttribute('srcset').split(',')) add(el, 'srcset', part.trim().split(/\s+/)[0]);
    }
  }
  const resources = performance.getEntriesByType('resource').map((entry) => entry.name);
  return {broken, urls, resources};
}

// The notice in the middle of the viewport (the top of the page without one), for a screenshot.
function centre() {
  const aside = notice();
  if (typeof aside === 'number') {
    window.scrollTo({left: 0, top: 0, behavior: 'instant'});
    return true;
  }
  const box = aside.getBoundingClientRect();
  window.scrollTo({left: 0, top: window.scrollY + box.top + box.height / 2 - window.innerHeight / 2, behavior: 'instant'});
  return true;
}

globalThis.l10nGate = {settle, locate, measure, conceal, compare, signature, assets, centre};
return true;
})()
"""
