// Code blocks are laid out only near the screen (render-path.css: content-visibility: auto).
// The PyData theme makes a code block focusable (tabindex 0) only if it scrolls, so that a
// keyboard can scroll it; it judges on load, on resize and after changes to the page, by the
// block's size, which a block whose contents the browser skips does not have: the theme
// would make it unfocusable. So each block is judged by the theme's rule whenever the
// browser lays it out, and a skipped block keeps that judgement, or stays focusable if it
// has never been laid out.
const BLOCKS = "div.highlight > pre";
const judged = new WeakMap(); // block -> its tabIndex when it was last laid out

function scrolls(pre) {
  return pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight;
}

// While the browser skips a block's contents, checkVisibility({contentVisibilityAuto}) is
// false for them (Sphinx opens each block with an empty <span>).
function skipped(pre) {
  const first = pre.firstElementChild;
  return Boolean(first) && !first.checkVisibility({ contentVisibilityAuto: true });
}

function judge(pre, isSkipped) {
  if (!isSkipped) judged.set(pre, scrolls(pre) ? 0 : -1);
  const tabIndex = judged.get(pre) ?? 0;
  if (pre.tabIndex !== tabIndex) pre.tabIndex = tabIndex;
}

for (const pre of document.querySelectorAll(BLOCKS)) {
  pre.addEventListener("contentvisibilityautostatechange", (event) => judge(pre, event.skipped));
}
// After the theme's own judgement, which changes the attribute.
new MutationObserver((changes) => {
  for (const { target } of changes) {
    if (target.matches(BLOCKS)) judge(target, skipped(target));
  }
}).observe(document.querySelector("main") || document.body, {
  subtree: true,
  attributeFilter: ["tabindex"],
});
