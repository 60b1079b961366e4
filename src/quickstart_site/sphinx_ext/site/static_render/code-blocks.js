// Code blocks are laid out only near the screen (render-path.css: content-visibility: auto).
// The PyData theme makes a code block focusable (tabindex 0) only if it scrolls, so that a
// keyboard can scroll it; it judges on load, on resize and after changes to the page, by the
// block's size, which a block whose contents the browser skips does not have: the theme
// would make it unfocusable. So each block is judged by the theme's rule whenever the
// browser lays it out, and a skipped block keeps that judgement, or stays focusable if it
// has never been laid out.
const BLOCKS = "div.highlight > pre";
const judged = new WeakMap(); // block -> its tabIndex when it was last laid out
// block -> whether the browser skips its contents now. The browser tells each block when it
// first decides, and on every change; asking instead (checkVisibility) would make it style the
// skipped contents.
const skipped = new WeakMap();

function scrolls(pre) {
  return pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight;
}

// The tabIndex a block should have. Only reads the page, so that judging many blocks lays
// the page out once, not once per block.
function judgement(pre) {
  if (skipped.get(pre) === false) judged.set(pre, scrolls(pre) ? 0 : -1);
  return judged.get(pre) ?? 0;
}

function apply(pre, tabIndex) {
  if (pre.tabIndex !== tabIndex) pre.tabIndex = tabIndex;
}

function watch() {
  for (const pre of document.querySelectorAll(BLOCKS)) {
    pre.addEventListener("contentvisibilityautostatechange", (event) => {
      skipped.set(pre, event.skipped);
      apply(pre, judgement(pre));
    });
  }
  // After the theme's own judgement, which writes every block's attribute at once.
  new MutationObserver((changes) => {
    judgeAll(changes.map((change) => change.target).filter((t) => t.matches(BLOCKS)));
  }).observe(document.body, { subtree: true, attributeFilter: ["tabindex"] });
  // A font that arrives late (a fallback for a script the code font lacks) widens the text.
  document.fonts.addEventListener("loadingdone", () => {
    judgeAll(document.querySelectorAll(BLOCKS));
  });
}

function judgeAll(blocks) {
  const tabIndexes = [...new Set(blocks)].map((pre) => [pre, judgement(pre)]);
  for (const [pre, tabIndex] of tabIndexes) apply(pre, tabIndex);
}

// Deferred on most pages; the search page runs its head scripts as they come.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
else watch();
