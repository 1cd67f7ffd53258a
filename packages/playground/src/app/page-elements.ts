/** The elements of index.html the playground fills and listens to. */
export interface PageElements {
  readonly folder: HTMLElement;
  readonly status: HTMLElement;
  readonly mappings: HTMLElement;
  readonly fixtures: HTMLElement;
  readonly samples: HTMLElement;
  readonly mappingFile: HTMLElement;
  readonly eventSource: HTMLElement;
  readonly mappingEditor: HTMLElement;
  readonly eventEditor: HTMLElement;
  readonly saveMapping: HTMLButtonElement;
  readonly saveFixture: HTMLButtonElement;
  readonly fixtureName: HTMLInputElement;
  readonly output: HTMLElement;
}

/** Find every element by id; a missing one is a bug in index.html. */
export function pageElements(document: Document): PageElements {
  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`index.html has no #${id}`);
    return element as T;
  };
  return {
    folder: byId("folder"),
    status: byId("status"),
    mappings: byId("mappings"),
    fixtures: byId("fixtures"),
    samples: byId("samples"),
    mappingFile: byId("mapping-file"),
    eventSource: byId("event-source"),
    mappingEditor: byId("mapping-editor"),
    eventEditor: byId("event-editor"),
    saveMapping: byId("save-mapping"),
    saveFixture: byId("save-fixture"),
    fixtureName: byId("fixture-name"),
    output: byId("output"),
  };
}
