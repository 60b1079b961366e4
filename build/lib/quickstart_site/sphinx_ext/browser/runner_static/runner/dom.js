// The page scripts' two ways of making markup (runner.js's Run panels, exercise.js's
// workbenches): imported by both, so they share one copy of this module.

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(className, text) {
  const node = element("button", className, text);
  node.type = "button";
  return node;
}
