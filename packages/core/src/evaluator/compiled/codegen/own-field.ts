import { quote } from "./source.js";

/**
 * Generated code that reads field `key` of `object` (a variable known to
 * hold a non-null object) into `target`, own properties only, as
 * `lookupField` reads it. A `hasOwnProperty` call costs five times the
 * read itself, so it is made only when the read may have come from a
 * prototype: when the object's prototype is not Object.prototype, or
 * Object.prototype has a property of that name (someone polluted it). For
 * names Object.prototype has of its own (`constructor`, `__proto__`,
 * `toString`...) the call is always made.
 */
export function readOwnField(target: string, object: string, key: string): string {
  const name = quote(key);
  if (key in Object.prototype)
    return `${target} = hasOwn.call(${object}, ${name}) ? ${object}[${name}] : undefined;`;
  return (
    `${target} = ${object}[${name}]; ` +
    `if (${target} !== undefined && (getProto(${object}) !== OP || OP[${name}] !== undefined) && !hasOwn.call(${object}, ${name})) ${target} = undefined;`
  );
}
