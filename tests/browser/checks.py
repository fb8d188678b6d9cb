"""What the browser tests look for on a rendered page.

Each check returns a list of problems in words a person can act on; an empty
list means the page passed. The JavaScript runs in the page, on what Chromium
laid out, not on the HTML the server sent.
"""

import re
from collections import Counter
from pathlib import Path

AXE_SOURCE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
MIN_TEXT_PX = 14
MIN_RING_CONTRAST = 3.0  # WCAG 2.2 focus appearance: 3:1 against what is behind

_OUTSIDE_SCROLLERS = """
el => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX;
    if (x !== 'visible') return false;
  }
  return true;
}
"""

_HORIZONTAL_OVERFLOW_JS = f"""
() => {{
  const width = document.documentElement.clientWidth;
  const pageWidth = document.documentElement.scrollWidth;
  const unclipped = {_OUTSIDE_SCROLLERS};
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {{
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && unclipped(el)) {{
      culprits.push(`${{el.tagName.toLowerCase()}}.${{el.className}} right=${{Math.round(box.right)}}`);
    }}
  }}
  return {{width, pageWidth, culprits: culprits.slice(0, 5)}};
}}
"""

_IMAGES_JS = f"""
() => {{
  const width = document.documentElement.clientWidth;
  const unclipped = {_OUTSIDE_SCROLLERS};
  return Array.from(document.images).map(img => {{
    const box = img.getBoundingClientRect();
    return {{
      src: img.currentSrc || img.src,
      alt: img.getAttribute('alt'),
      loaded: img.complete && img.naturalWidth > 0,
      shown: box.width > 0 && box.height > 0,
      left: box.left, right: box.right, boxWidth: box.width,
      overflows: unclipped(img) && (box.right > width + 1 || box.left < -1),
      viewportWidth: width,
    }};
  }});
}}
"""

_SMALL_TEXT_JS = """
min => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (!range.getClientRects().length) continue;  // not rendered
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible') continue;
    const size = parseFloat(style.fontSize);
    if (size < min) {
      small.push(`${size}px <${el.tagName.toLowerCase()} class="${el.className}">${text.slice(0, 30)}`);
    }
  }
  // Form controls draw their text themselves: no text node to walk.
  for (const el of document.body.querySelectorAll('input, select, textarea')) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (el.type !== 'hidden' && el.getClientRects().length && size < min) {
      small.push(`${size}px <${el.tagName.toLowerCase()} name="${el.name}">`);
    }
  }
  return small;
}
"""

_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let behind = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const bg = getComputedStyle(p).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(bg)) { behind = bg; break; }
  }
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30),
    href: el.getAttribute('href'),
    inNav: !!el.closest('nav.site-nav'),
    isSearch: el.matches('input[type=search], input[name=q]'),
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    behind,
  };
}
"""


def page_lang(page):
    return page.evaluate("() => document.documentElement.getAttribute('lang')")


def horizontal_overflow(page):
    info = page.evaluate(_HORIZONTAL_OVERFLOW_JS)
    if info["pageWidth"] <= info["width"]:
        return []
    return [
        f"page scrolls sideways: {info['pageWidth']}px wide in a {info['width']}px "
        f"viewport; widest: {', '.join(info['culprits']) or '?'}"
    ]


def load_all_images(page):
    """Scroll to the end so lazy images load, then wait until all have settled."""
    page.evaluate(
        """async () => {
          const step = Math.max(window.innerHeight - 100, 200);
          for (let y = 0; y < document.body.scrollHeight; y += step) {
            window.scrollTo(0, y);
            await new Promise(resolve => requestAnimationFrame(resolve));
          }
          window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_function(
        "() => Array.from(document.images).every(img => img.complete)"
    )


def images_fit(page):
    """Every image loaded, has alt text, and lies within the viewport's width."""
    load_all_images(page)
    problems = []
    for image in page.evaluate(_IMAGES_JS):
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")
        if image["alt"] is None:
            problems.append(f"image without alt attribute: {image['src']}")
        if image["shown"] and image["overflows"]:
            problems.append(
                f"image wider than the {image['viewportWidth']}px viewport: "
                f"{image['src']} spans {image['left']:.0f}–{image['right']:.0f}px"
            )
    return problems


def small_text(page, minimum=MIN_TEXT_PX):
    return [
        f"text under {minimum}px: {line}"
        for line in page.evaluate(_SMALL_TEXT_JS, minimum)
    ]


def _rgb(css):
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) < 3:
        raise ValueError(f"unexpected CSS colour {css!r}")
    return numbers[:3]


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(css_a, css_b):
    high, low = sorted((_luminance(_rgb(css_a)), _luminance(_rgb(css_b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focused_element(page):
    return page.evaluate(_FOCUSED_JS)


def focus_ring_problem(focused):
    """Why the focused element shows no visible ring, or None when it does."""
    label = f"<{focused['tag']}> {focused['text']!r}"
    if not focused["focusVisible"]:
        return f"{label} is focused but not :focus-visible"
    if focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2:
        ratio = contrast(focused["outlineColor"], focused["behind"])
        if ratio < MIN_RING_CONTRAST:
            return (
                f"{label}: focus ring {focused['outlineColor']} on "
                f"{focused['behind']} has contrast {ratio:.2f}:1 "
                f"(needs {MIN_RING_CONTRAST}:1)"
            )
        return None
    if focused["boxShadow"] not in ("", "none"):
        return None
    return f"{label} has no focus ring (outline {focused['outlineStyle']} {focused['outlineWidth']}px)"


def tab_through(page, presses):
    """Press Tab from the top of the page; return what held focus each time."""
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
    )
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = focused_element(page)
        if focused:
            stops.append(focused)
    return stops


def run_axe(page):
    """Inject the vendored axe-core into every frame and return its violations."""
    source = AXE_SOURCE.read_text(encoding="utf-8")
    for frame in page.frames:
        frame.evaluate(f"{source}\n;void 0")
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map(n => ({
              target: n.target.join(' '),
              html: n.html.slice(0, 160),
              summary: n.failureSummary,
            })),
          }));
        }"""
    )


def describe_violations(name, violations):
    lines = [f"axe-core: serious/critical violations on {name}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)


def axe_summary_lines(results):
    """One line per page checked: how many violations of each impact."""
    lines = []
    for entry in results:
        counts = Counter(v["impact"] for v in entry["violations"])
        ids = ", ".join(f"{v['id']}({v['impact']})" for v in entry["violations"])
        total = sum(counts.values())
        lines.append(
            f"axe {entry['page']} [{entry['viewport']}]: {total} violation(s)"
            + (f": {ids}" if ids else "")
        )
    return lines


# Issue 19: readers never see placeholders, nor one photo twice in a row.
PLACEHOLDER_WORDS = ("原图待补", "PHOTO PENDING")

_PHOTO_SEQUENCE_JS = """
() => Array.from(document.querySelectorAll('main img')).map(img => {
  const url = new URL(img.currentSrc || img.src, location.href).pathname;
  // One photo's renditions share its stem: renditions/photos/…/ab12/640.webp.
  const match = url.match(/^\\/media\\/renditions\\/(.+)\\/\\d+\\.\\w+$/);
  return match ? match[1] : url.replace(/\\.\\w+$/, '').replace(/^\\/media\\//, '');
})
"""


def placeholder_problems(page):
    """Words that mark a placeholder, where readers would read them."""
    text = page.evaluate("() => document.body.innerText")
    return [f"placeholder text {word!r} shown" for word in PLACEHOLDER_WORDS if word in text]


def repeated_photo_problems(page):
    """The same photo shown twice in a row."""
    stems = page.evaluate(_PHOTO_SEQUENCE_JS)
    return [
        f"photo {stem} shown twice in a row"
        for before, stem in zip(stems, stems[1:], strict=False)
        if stem == before
    ]
