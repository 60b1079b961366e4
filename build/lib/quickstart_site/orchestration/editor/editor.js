// The exercises' code editor: CodeMirror 6 with what a short Python exercise needs and no
// more (no autocompletion, search or lint: they would triple the bundle). Bundled by
// orchestration/editor_bundle.py into the browser runtime as _runtime/editor/editor.mjs;
// exercise.js imports it when the page has an exercise.
//
// Keyboard: Tab and Shift-Tab indent and dedent (Python is written with indentation). So
// that a keyboard user is never trapped, CodeMirror's own escape applies: Escape, then Tab
// (or Shift-Tab), moves the focus out of the editor. The caller says so in the text it
// passes as `description` (the editor's aria-describedby). Ctrl/Cmd+Enter calls onRun.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

// Colours are CSS variables (exercise.css defines them for the light and the dark theme), so
// the same editor passes contrast checks in both.
const colours = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword],
    color: "var(--qs-code-keyword)",
  },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--qs-code-string)" },
  { tag: [tags.comment], color: "var(--qs-code-comment)", fontStyle: "italic" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--qs-code-number)" },
  {
    tag: [
      tags.function(tags.variableName),
      tags.function(tags.propertyName),
      tags.definition(tags.variableName),
    ],
    color: "var(--qs-code-function)",
  },
  { tag: [tags.className, tags.meta], color: "var(--qs-code-meta)" },
]);

const theme = EditorView.theme({
  "&": {
    color: "var(--qs-code-text)",
    backgroundColor: "var(--qs-code-background)",
    border: "1px solid var(--qs-code-border)",
    borderRadius: "0.25rem",
    fontSize: "0.9em",
  },
  "&.cm-focused": { outline: "2px solid var(--qs-code-focus)", outlineOffset: "1px" },
  ".cm-content": {
    fontFamily: "var(--pst-font-family-monospace, monospace)",
    caretColor: "var(--qs-code-text)",
  },
  ".cm-scroller": { fontFamily: "var(--pst-font-family-monospace, monospace)", minHeight: "6em" },
  ".cm-gutters": {
    backgroundColor: "var(--qs-code-gutter-background)",
    color: "var(--qs-code-gutter-text)",
    borderRight: "1px solid var(--qs-code-border)",
  },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--qs-code-active-line)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--qs-code-text)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--qs-code-selection)",
  },
  ".cm-matchingBracket": { outline: "1px solid var(--qs-code-gutter-text)" },
});

/**
 * An editor for Python inside `parent`.
 * @param {HTMLElement} parent
 * @param {{doc?: string, label: string, describedBy?: string, onRun?: () => void,
 *          onChange?: (text: string) => void}} options
 * @returns {{getValue(): string, setValue(text: string): void, focus(): void, view: EditorView}}
 */
export function createEditor(parent, { doc = "", label, describedBy, onRun, onChange }) {
  const attributes = { "aria-label": label, "aria-multiline": "true" };
  if (describedBy) attributes["aria-describedby"] = describedBy;
  const run = () => {
    onRun?.();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        python(),
        syntaxHighlighting(colours),
        theme,
        keymap.of([{ key: "Mod-Enter", run }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of(attributes),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange?.(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
