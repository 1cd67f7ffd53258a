import type { ValidateFunction } from "ajv";
import type { ActionContract, ActionContracts } from "../action/action-contract.js";
import type { Violation } from "../engine/map-result.js";
import { createAjv } from "../validation/create-ajv.js";
import { describeViolations } from "../validation/describe-violations.js";

export type PayloadValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly violations: readonly Violation[] };

/** Validates payloads against their action's schema, each schema compiled once. */
export interface PayloadValidator {
  validate(action: string, payload: Record<string, unknown>): PayloadValidation;
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

function compileValidators(contracts: ActionContracts): PayloadValidator {
  const ajv = createAjv();
  const compiled = new Map<string, { contract: ActionContract; check: ValidateFunction }>();
  for (const [name, contract] of Object.entries(contracts)) {
    compiled.set(name, { contract, check: ajv.compile(contract.schema) });
  }
  return {
    validate(action, payload) {
      const entry = compiled.get(action);
      if (!entry) {
        return {
          ok: false,
          violations: [{ path: "", message: `no contract for action "${action}"` }],
        };
      }
      if (entry.check(payload)) return { ok: true };
      return {
        ok: false,
        violations: describeViolations(entry.check.errors ?? [], entry.contract.schema),
      };
    },
  };
}
