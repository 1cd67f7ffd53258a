import { json } from "@codemirror/lang-json";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState, type Extension, type Text } from "@codemirror/state";
import { basicSetup, EditorView } from "codemirror";
import { jsonataLanguage } from "./jsonata-language.js";

/** A problem at a 1-based line and column of an editor's text. */
export interface Problem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What an editor is: its accessible name ("Mapping", "Event"), its language, and what to call after every edit. */
export interface EditorSetup {
  readonly label: string;
  readonly language: "jsonata" | "json";
  readonly onChange: () => void;
}

/** A CodeMirror editor as `setup` describes it. */
export function createEditor(parent: HTMLElement, setup: EditorSetup): EditorView {
  return new EditorView({ parent, state: editorState("", setup) });
}

/** A fresh state (own undo history) for an editor, e.g. when another file is opened in it. */
export function editorState(doc: string, setup: EditorSetup): EditorState {
  const { label, language, onChange } = setup;
  const extensions: Extension[] = [
    basicSetup,
    language === "jsonata" ? jsonataLanguage : json(),
    lintGutter(),
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange();
    }),
  ];
  return EditorState.create({ doc, extensions });
}

/** Underline each problem at its line and column (replacing what was shown before). */
export function showProblems(view: EditorView, problems: readonly Problem[]): void {
  const diagnostics = problems.map((problem) => diagnosticAt(view.state.doc, problem));
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function diagnosticAt(doc: Text, problem: Problem): Diagnostic {
  const line = doc.line(Math.min(Math.max(problem.line, 1), doc.lines));
  let from = Math.min(line.from + Math.max(problem.column - 1, 0), line.to);
  let to = wordEnd(doc, from, line.to);
  if (from === to) {
    // an error at the end of a line or of the text: underline the character before it
    from = Math.max(line.from, from - 1);
    to = Math.min(doc.length, from + 1);
  }
  return { from, to, severity: "error", message: problem.message };
}

/** The end of the token at `from`: a quoted string, a name, or one character. */
function wordEnd(doc: Text, from: number, lineEnd: number): number {
  const rest = doc.sliceString(from, lineEnd);
  const token = /^(?:"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[\w$]+)/.exec(rest);
  return from + (token ? token[0].length : Math.min(1, rest.length));
}
