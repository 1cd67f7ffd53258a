import type { EditorState } from "@codemirror/state";
import {
  type Fixture,
  formatError,
  type ParseFixtureResult,
  parseFixture,
  SEGMENT_CALL_TYPES,
  type SegmentCallType,
} from "@gwenmap/core/browser";
import type { EditorView } from "codemirror";
import { createEditor, editorState, type Problem, showProblems } from "../editor/editors.js";
import { fixtureText } from "../engine/fixture-text.js";
import { compileEntry, type MappingEntry } from "../engine/mapping-entry.js";
import { parseEvent, runEvent } from "../engine/run-event.js";
import { sampleEvents } from "../engine/sample-events.js";
import type { Project } from "../project/project.js";
import { renderOutput } from "../view/render-output.js";
import { renderList } from "./file-lists.js";
import type { PageElements } from "./page-elements.js";

/** A fixture file of the folder and what core made of it. */
interface FixtureItem {
  readonly path: string;
  readonly name: string;
  readonly parsed: ParseFixtureResult;
}

type EventSource = { kind: "fixture"; path: string } | { kind: "sample"; name: SegmentCallType };

const fixtureNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The playground: the folder's mappings and fixtures in lists, a mapping and
 * an event in editors, and the output recomputed by @gwenmap/core at the
 * next frame after every keystroke (no button). Saving goes through the
 * project, when it can write.
 */
export class PlaygroundApp {
  readonly #project: Project;
  readonly #page: PageElements;
  readonly #entries: MappingEntry[];
  readonly #saved = new Map<string, string>();
  readonly #states = new Map<string, EditorState>();
  readonly #fixtures: FixtureItem[];
  readonly #mappingView: EditorView;
  readonly #eventView: EditorView;
  #mappingPath: string | undefined;
  #eventSource: EventSource = { kind: "sample", name: "track" };
  #frame: number | undefined;
  #runs = 0;

  constructor(project: Project, page: PageElements) {
    this.#project = project;
    this.#page = page;
    this.#entries = project.mappings.map((file) => {
      this.#saved.set(file.path, file.text);
      return compileEntry(project.folder, file.path, file.text);
    });
    this.#fixtures = project.fixtures.map((file) => this.#parseFixture(file.path, file.text));
    const changed = () => this.#schedule();
    this.#mappingView = createEditor(page.mappingEditor, {
      label: "Mapping",
      language: "jsonata",
      onChange: changed,
    });
    this.#eventView = createEditor(page.eventEditor, {
      label: "Event",
      language: "json",
      onChange: changed,
    });
    page.folder.textContent = project.folder;
    page.saveMapping.addEventListener("click", () => void this.#saveMapping());
    page.saveFixture.addEventListener("click", () => void this.#saveFixture());
    if (!project.save) {
      const why = "Saving needs `gwenmap playground`: this page runs without a server";
      for (const button of [page.saveMapping, page.saveFixture]) {
        button.disabled = true;
        button.title = why;
      }
    }
    const first = this.#entries[0];
    if (first) this.#openMapping(first.path);
    const fixture = this.#fixtureFor(first?.name) ?? this.#fixtures.find((item) => item.parsed.ok);
    if (fixture) this.#openFixture(fixture.path);
    else this.#openSample("track");
    // edits not saved yet are lost with the tab: the browser asks first
    window.addEventListener("beforeunload", (event) => {
      if (this.#entries.some((entry) => entry.text !== this.#saved.get(entry.path))) {
        event.preventDefault();
      }
    });
  }

  /** The first fixture in which `mapping` delivers, to open the page on something it does. */
  #fixtureFor(mapping: string | undefined): FixtureItem | undefined {
    return this.#fixtures.find(
      (item) =>
        item.parsed.ok &&
        item.parsed.fixture.expect.some(
          (outcome) => outcome.mapping === mapping && "payload" in outcome,
        ),
    );
  }

  #openMapping(path: string): void {
    if (this.#mappingPath) this.#states.set(this.#mappingPath, this.#mappingView.state);
    const entry = this.#entries.find((candidate) => candidate.path === path);
    if (!entry) return;
    this.#mappingPath = path;
    const state =
      this.#states.get(path) ??
      editorState(entry.text, {
        label: "Mapping",
        language: "jsonata",
        onChange: () => this.#schedule(),
      });
    this.#mappingView.setState(state);
    this.#page.mappingFile.textContent = path;
    this.#schedule();
  }

  #openFixture(path: string): void {
    const item = this.#fixtures.find((candidate) => candidate.path === path);
    if (!item) return;
    if (!item.parsed.ok) {
      this.#say(item.parsed.errors.map(formatError).join("\n"), true);
      return;
    }
    this.#eventSource = { kind: "fixture", path };
    this.#page.fixtureName.value = item.name;
    this.#page.eventSource.textContent = path;
    this.#loadEvent(item.parsed.fixture.event);
  }

  #openSample(name: SegmentCallType): void {
    this.#eventSource = { kind: "sample", name };
    this.#page.fixtureName.value = `${name}-call`;
    this.#page.eventSource.textContent = `sample ${name} call`;
    this.#loadEvent(sampleEvents[name]);
  }

  #loadEvent(event: unknown): void {
    const text = `${JSON.stringify(event, null, 2)}\n`;
    this.#eventView.setState(
      editorState(text, { label: "Event", language: "json", onChange: () => this.#schedule() }),
    );
    this.#schedule();
  }

  /** Recompute at the next frame, once however many edits came in before it. */
  #schedule(): void {
    if (this.#frame !== undefined) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      void this.#update();
    });
  }

  async #update(): Promise<void> {
    const run = ++this.#runs;
    const edited = this.#compileEdited();
    const input = parseEvent(this.#eventView.state.doc.toString());
    showProblems(this.#eventView, input.ok ? [] : [input]);
    const result = await runEvent(this.#entries, input, this.#chosenFixture());
    if (run !== this.#runs) return;
    this.#page.output.replaceChildren(...renderOutput(this.#entries, result, edited?.path));
    this.#renderLists();
  }

  #compileEdited(): MappingEntry | undefined {
    const index = this.#entries.findIndex((entry) => entry.path === this.#mappingPath);
    const entry = this.#entries[index];
    if (!entry) return undefined;
    const text = this.#mappingView.state.doc.toString();
    const current =
      entry.text === text ? entry : compileEntry(this.#project.folder, entry.path, text);
    this.#entries[index] = current;
    showProblems(this.#mappingView, problemsOf(current));
    return current;
  }

  #chosenFixture(): Fixture | undefined {
    const source = this.#eventSource;
    if (source.kind !== "fixture") return undefined;
    const item = this.#fixtures.find((candidate) => candidate.path === source.path);
    return item?.parsed.ok ? item.parsed.fixture : undefined;
  }

  #renderLists(): void {
    const { mappings, fixtures, samples } = this.#page;
    const mappingItems = this.#entries.map((entry) => ({
      key: entry.path,
      label: entry.path.replace(/\.jsonata$/, ""),
      classes: [
        ...(entry.text !== this.#saved.get(entry.path) ? ["dirty"] : []),
        ...(entry.compiled.ok ? [] : ["broken"]),
      ],
    }));
    renderList(mappings, mappingItems, {
      current: this.#mappingPath,
      choose: (path) => this.#openMapping(path),
    });
    const source = this.#eventSource;
    const fixtureItems = this.#fixtures.map((item) => ({
      key: item.path,
      label: item.name,
      ...(item.parsed.ok
        ? { title: item.parsed.fixture.description ?? item.name }
        : { title: item.parsed.errors.map(String).join("\n"), classes: ["broken"] }),
    }));
    const chosenFixture = source.kind === "fixture" ? source.path : undefined;
    renderList(fixtures, fixtureItems, {
      current: chosenFixture,
      choose: (path) => this.#openFixture(path),
    });
    const sampleItems = SEGMENT_CALL_TYPES.map((name) => ({ key: name, label: name }));
    const chosenSample = source.kind === "sample" ? source.name : undefined;
    renderList(samples, sampleItems, {
      current: chosenSample,
      choose: (name) => this.#openSample(name as SegmentCallType),
    });
  }

  async #saveMapping(): Promise<void> {
    const path = this.#mappingPath;
    if (!this.#project.save || !path) return;
    const text = this.#mappingView.state.doc.toString();
    try {
      await this.#project.save(path, text);
      this.#saved.set(path, text);
      this.#say(`saved ${path}`);
      this.#renderLists();
    } catch (error) {
      this.#say(`could not save ${path}: ${(error as Error).message}`, true);
    }
  }

  async #saveFixture(): Promise<void> {
    if (!this.#project.save) return;
    const name = this.#page.fixtureName.value.trim();
    if (!fixtureNamePattern.test(name)) {
      this.#say("a fixture name is letters, digits, '.', '_' and '-', e.g. order-completed", true);
      return;
    }
    const path = `fixtures/${name}.json`;
    const existing = this.#fixtures.find((item) => item.path === path);
    if (existing && !existing.parsed.ok) {
      this.#say(`${path} exists but does not load: fix it or choose another name`, true);
      return;
    }
    const run = await runEvent(
      this.#entries,
      parseEvent(this.#eventView.state.doc.toString()),
      undefined,
    );
    if (!run.input.ok || !run.result) {
      this.#say("the event is not JSON: fix it before saving it as a fixture", true);
      return;
    }
    const before = existing?.parsed.ok ? existing.parsed.fixture.text : undefined;
    let text: string;
    try {
      text = fixtureText(run.input.value, run.result, before);
      await this.#project.save(path, text);
    } catch (error) {
      this.#say(`could not save ${path}: ${(error as Error).message}`, true);
      return;
    }
    const item = this.#parseFixture(path, text);
    const index = this.#fixtures.findIndex((candidate) => candidate.path === path);
    if (index >= 0) this.#fixtures[index] = item;
    else this.#fixtures.push(item);
    this.#fixtures.sort((a, b) => a.path.localeCompare(b.path));
    this.#eventSource = { kind: "fixture", path };
    this.#page.eventSource.textContent = path;
    this.#say(`saved ${path}${this.#unsavedNote()}`);
    this.#schedule();
  }

  #unsavedNote(): string {
    const unsaved = this.#entries.filter((entry) => entry.text !== this.#saved.get(entry.path));
    if (unsaved.length === 0) return "";
    return ` (from unsaved mappings: ${unsaved.map((entry) => entry.path).join(", ")}; save them too)`;
  }

  #parseFixture(path: string, text: string): FixtureItem {
    const names = this.#entries.map((entry) => entry.name);
    const file = `${this.#project.folder.replace(/\/$/, "")}/${path}`;
    const parsed = parseFixture(file, text, { mappingNames: names });
    return { path, name: path.replace(/^fixtures\//, "").replace(/\.json$/, ""), parsed };
  }

  #say(message: string, error = false): void {
    this.#page.status.textContent = message;
    this.#page.status.classList.toggle("error", error);
  }
}

function problemsOf(entry: MappingEntry): Problem[] {
  if (entry.compiled.ok) return [];
  return entry.compiled.errors.map((error) => ({
    line: error.location?.line ?? 1,
    column: error.location?.column ?? 1,
    message: `${error.jsonataCode ?? error.code} ${error.message}`,
  }));
}
