/** examples/mappings with its fixtures, built into the page (scripts/build.ts) for the static page. */
declare module "gwenmap:examples" {
  const files: import("./api.js").ProjectFiles;
  export default files;
}
