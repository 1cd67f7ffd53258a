import examples from "gwenmap:examples";
import type { ApiError, ProjectFiles } from "../api.js";
import type { Project } from "./project.js";

/**
 * The files the page works on. Opened from `gwenmap playground` (its URL
 * carries `?token=`): the folder's files through the local server, which
 * also saves. Opened any other way (a static host, a file): the examples
 * built into the page, for editing and output only.
 */
export async function loadProject(location: Location): Promise<Project> {
  const token = new URLSearchParams(location.search).get("token");
  if (!token || location.protocol === "file:") return examples;
  const authorization = `Bearer ${token}`;
  const files = (await call("/api/project", { headers: { authorization } })) as ProjectFiles;
  return {
    ...files,
    async save(path, text) {
      await call(`/api/files/${path.split("/").map(encodeURIComponent).join("/")}`, {
        method: "PUT",
        headers: { authorization, "content-type": "text/plain; charset=utf-8" },
        body: text,
      });
    },
  };
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const answer = await fetch(url, init);
  const body = (await answer.json().catch(() => undefined)) as unknown;
  if (!answer.ok) {
    const message = (body as ApiError | undefined)?.error?.message ?? answer.statusText;
    throw new Error(`${message} (HTTP ${answer.status})`);
  }
  return body;
}
