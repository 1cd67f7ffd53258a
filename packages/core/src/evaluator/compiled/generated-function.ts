/**
 * `new Function(...parameters, body)` for the code gwenmap generates, or
 * undefined where it is refused (a page's content security policy).
 *
 * Each call gets a source of its own (a `sourceURL` comment naming it,
 * which also names it in stack traces and the debugger): V8 caches
 * `new Function` by its text, and functions made from one cached text share
 * their optimized code, so the same mapping compiled twice in a process (a
 * reload, a second engine, the playground) would lose what V8 learns from
 * each, the values its closure holds inlined as constants among them
 * (measured on the reshaping mapping compiled a second time: 0.88x the time per evaluation).
 */
export function generatedFunction<T>(
  name: string,
  parameters: readonly string[],
  body: string,
): T | undefined {
  made++;
  try {
    return new Function(...parameters, `${body}\n//# sourceURL=gwenmap-${name}-${made}.js`) as T;
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    throw error;
  }
}

let made = 0;
