// What kaohe's page uses of CodeMirror 6, as one global `CM` (build.sh
// bundles this file and the packages it imports into codemirror.js).
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars, hoverTooltip, showPanel,
} from "@codemirror/view";
export { EditorState, EditorSelection, Compartment, StateEffect, StateField } from "@codemirror/state";
export {
  StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput,
  indentUnit,
} from "@codemirror/language";
export { tags } from "@lezer/highlight";
export { linter, lintGutter, forceLinting, setDiagnostics, openLintPanel } from "@codemirror/lint";
export {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion,
} from "@codemirror/autocomplete";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
export { diff } from "@codemirror/merge";
export { ChangeSet, Text } from "@codemirror/state";
