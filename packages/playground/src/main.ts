import { pageElements } from "./app/page-elements.js";
import { PlaygroundApp } from "./app/playground-app.js";
import { loadProject } from "./project/load-project.js";

const page = pageElements(document);
loadProject(window.location).then(
  (project) => new PlaygroundApp(project, page),
  (error: unknown) => {
    page.status.textContent = `cannot load the mappings: ${(error as Error).message}`;
    page.status.classList.add("error");
  },
);
