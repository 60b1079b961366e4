// Code blocks are laid out only near the screen (render-path.css: content-visibility: auto).
// The PyData theme makes a code block focusable (tabindex 0) only if it scrolls, so that a
// keyboard can scroll it; it judges on load, on resize and after any change to the page, by
// the block's size, which a block whose contents the browser skips does not have: the theme
// would make it unfocusable. So each block is judged by the theme's rule only while the
// browser lays it out, and keeps that judgement while skipped; a block never laid out stays
// focusable.
//
// "While the browser lays it out" is asked of the browser at that moment: its
// contentvisibilityautostatechange events arrive a moment after it decides, and a block
// measured in between (it has been skipped since) measures as not scrolling. The theme's
// writes after a Run panel's output pushed a block off the screen did that: the block kept
// tabindex -1, and axe, which lays skipped contents out to read them, found a scrolling block
// no keyboard could reach (the Russian page's third block, once in a test run under load).
const BLOCKS = "div.highlight > pre";
const judged = new WeakMap(); // block -> its tabIndex when it was last laid out
// block -> whether the browser skipped its contents when it last said so (its last event).
// Only a block it said it lays out is asked again (checkVisibility), since asking about a
// skipped block would make the browser style its skipped contents.
const skipped = new WeakMap();

// The theme's rule, for a block laid out now.
function measure(pre) {
  const scrolls = pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight;
  return scrolls ? 0 : -1;
}

function apply(pre) {
  const tabIndex = judged.get(pre) ?? 0;
  if (pre.tabIndex !== tabIndex) pre.tabIndex = tabIndex;
}

// Whether the browser lays the block's contents out at this moment.
function laidOutNow(pre) {
  const first = pre.firstElementChild;
  if (skipped.get(pre) !== false) return false;
  return !first || first.checkVisibility({ contentVisibilityAuto: true });
}

// After a change of width (a resize, a late font: a fallback for a script the code font lacks
// widens the text): blocks laid out now are measured again (all reads first, so the page is
// laid out once); the others are judged again when next laid out, focusable meanwhile.
function judgeAgain() {
  const blocks = [...document.querySelectorAll(BLOCKS)];
  const measured = blocks.map((pre) => [pre, laidOutNow(pre) ? measure(pre) : undefined]);
  for (const [pre, tabIndex] of measured) {
    if (tabIndex === undefined) judged.delete(pre);
    else judged.set(pre, tabIndex);
    apply(pre);
  }
}

function watch() {
  for (const pre of document.querySelectorAll(BLOCKS)) {
    pre.addEventListener("contentvisibilityautostatechange", (event) => {
      skipped.set(pre, event.skipped);
      if (laidOutNow(pre)) judged.set(pre, measure(pre));
      apply(pre);
    });
  }
  // The theme's own judgement writes every block's attribute at once: put ours back.
  new MutationObserver((changes) => {
    for (const pre of new Set(changes.map((change) => change.target))) {
      if (pre.matches(BLOCKS)) apply(pre);
    }
  }).observe(document.body, { subtree: true, attributeFilter: ["tabindex"] });
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(judgeAgain, 100);
  });
  document.fonts.addEventListener("loadingdone", judgeAgain);
}

// Deferred on most pages; the search page runs its head scripts as they come.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
else watch();
