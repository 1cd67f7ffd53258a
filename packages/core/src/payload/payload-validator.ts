import type { ValidateFunction } from "ajv";
import type { ActionContract, ActionContracts } from "../action/action-contract.js";
import type { Violation } from "../engine/map-result.js";
import { createAjv } from "../validation/create-ajv.js";
import { describeViolations } from "../validation/describe-violations.js";

export type PayloadValidation =
  | {
      readonly ok: true;
      /** The payload with values coerced as Segment coerces them, when any was (a copy: the input is not changed). */
      readonly coerced?: Record<string, unknown>;
    }
  | { readonly ok: false; readonly violations: readonly Violation[] };

/** Validates payloads against their action's schema, each schema compiled once. */
export interface PayloadValidator {
  /** The validation of `action`'s payloads, looked up once by its user rather than for every payload. */
  forAction(action: string): (payload: Record<string, unknown>) => PayloadValidation;
}

const cache = new WeakMap<ActionContracts, PayloadValidator>();

/**
 * The validator for a set of contracts. Compiling a schema costs far more
 * than using it, so validators are compiled once per contracts object and
 * shared by every engine built from it (a mapping reload reuses them).
 */
export function payloadValidatorFor(contracts: ActionContracts): PayloadValidator {
  let validator = cache.get(contracts);
  if (!validator) {
    validator = compileValidators(contracts);
    cache.set(contracts, validator);
  }
  return validator;
}

/** The answer for every payload valid as it is: one object, not one per payload. */
const valid: PayloadValidation = Object.freeze({ ok: true });

interface CompiledContract {
  readonly contract: ActionContract;
  readonly check: ValidateFunction;
  /** Coerces what it checks, as Segment's runtime does: run on a copy. */
  readonly coerce: ValidateFunction;
}

/**
 * A payload that is valid as it is costs one check. Only one that is not is
 * checked again on a copy, with Segment's coercion (`123` for a string field
 * is sent as `"123"` by Segment's destination, so it is by gwenmap), and what
 * still fails is described after coercion, with Segment's messages.
 */
function compileValidators(contracts: ActionContracts): PayloadValidator {
  const ajv = createAjv();
  const coercing = createAjv({ coerce: true });
  const compiled = new Map<string, CompiledContract>();
  for (const [name, contract] of Object.entries(contracts)) {
    compiled.set(name, {
      contract,
      check: ajv.compile(contract.schema),
      coerce: coercing.compile(contract.schema),
    });
  }
  return {
    forAction(action) {
      const entry = compiled.get(action);
      if (!entry) {
        return () => ({
          ok: false,
          violations: [{ path: "", message: `no contract for action "${action}"` }],
        });
      }
      return (payload) => {
        if (entry.check(payload)) return valid;
        const copy = structuredClone(payload);
        if (entry.coerce(copy)) return { ok: true, coerced: copy };
        return {
          ok: false,
          violations: describeViolations(entry.coerce.errors ?? [], entry.contract.schema),
        };
      };
    },
  };
}
