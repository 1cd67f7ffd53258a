/** PostgreSQL's limit on the parameters of one statement (the protocol counts them in 16 bits). */
export const MAX_PARAMETERS = 65_535;

/**
 * The `VALUES` rows of a multi-row insert: `($1, $2), ($3, $4), …` for `rows`
 * rows of `columns` parameters each, numbered row after row. `shared` more
 * parameters, numbered after all of those, end every row: values that every
 * row takes, sent once.
 *
 * Rows of plain parameters rather than `unnest` over arrays: pg sends an
 * array as one text literal with every quote in it escaped, which for JSON
 * bodies and events costs more than the insert.
 */
export function valuesList(rows: number, columns: number, shared = 0): string {
  const tail = Array.from(
    { length: shared },
    (_, index) => `, $${rows * columns + index + 1}`,
  ).join("");
  const list: string[] = [];
  for (let row = 0; row < rows; row++) {
    const first = row * columns;
    const own = Array.from({ length: columns }, (_, column) => `$${first + column + 1}`);
    list.push(`(${own.join(", ")}${tail})`);
  }
  return list.join(", ");
}
