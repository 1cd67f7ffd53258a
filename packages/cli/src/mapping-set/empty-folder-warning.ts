/** The warning for a mappings folder without a single mapping: every event would map to nothing. */
export function emptyFolderWarning(dir: string): string {
  return `no mappings in ${dir} (no *.jsonata files): no event will map. Pass --mappings DIR or set GWENMAP_MAPPINGS if they are elsewhere`;
}
