import type { PackageApiAction, PackageApiParameter } from '../../shared/domain/dmf/packageApiActions';

/**
 * The DMF package API's actions share one call shape [DOC][CLIENT]: POST
 * {base}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.<Action> with a JSON
 * object of camelCase parameters, answered with {"@odata.context": …, "value": …}.
 */
export interface ActionResult {
  readonly value: unknown;
  /** The $metadata fragment after '#': Edm.String unless the action returns something else. */
  readonly type?: string;
}

export type ActionHandler = (params: ActionParams) => Promise<ActionResult> | ActionResult;

/** An exception inside an action: the OData error envelope, worded "Exception occurred while executing action …". */
export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

/** Typed access to an action's parameters: a wrong type or a missing required one is a 400. */
export class ActionParams {
  constructor(
    readonly action: string,
    private readonly raw: Record<string, unknown>,
  ) {}

  string(name: string, options: { required?: boolean; fallback?: string } = {}): string {
    const v = this.raw[name];
    if (v === undefined || v === null) {
      if (options.required) throw this.bad(`The parameter '${name}' is required.`);
      return options.fallback ?? '';
    }
    if (typeof v !== 'string')
      throw this.bad(
        `Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.String' for parameter '${name}'.`,
      );
    return v;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean')
      throw this.bad(
        `Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.Boolean' for parameter '${name}'.`,
      );
    return v;
  }

  /** Int32 parameters (JSON numbers: checkParameters already refused anything else). */
  integer(name: string, fallback: number): number {
    const v = this.raw[name];
    if (v === undefined || v === null) return fallback;
    const n = v;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw this.bad(
        `Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.Int32' for parameter '${name}'.`,
      );
    return n;
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  private bad(message: string): ActionFailure {
    return new ActionFailure(message, 400);
  }
}

/**
 * What ODataLib answers before F&O's action code runs [DOC: ODataLib's reader messages, seen in
 * its tests and in Dataverse, which uses the same reader]: a parameter the operation does not
 * declare (names are case-sensitive), a value of the wrong JSON type, null for a non-nullable
 * parameter, a non-nullable parameter left out. Null when the payload is well-formed.
 */
export function checkParameters(
  action: PackageApiAction,
  payload: Readonly<Record<string, unknown>>,
  aliases: readonly PackageApiParameter[] = [],
): string | null {
  const declared = new Map([...action.parameters, ...aliases].map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(payload)) {
    // Instance annotations (@odata.type, name@odata.type) are not parameters.
    if (name.includes('@')) continue;
    const parameter = declared.get(name);
    if (!parameter)
      return `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action.name}'.`;
    if (value === null) {
      if (parameter.nullable) continue;
      return `A null value was found for the property named '${name}', which has the expected type '${parameter.type}[Nullable=False]'. The expected type '${parameter.type}[Nullable=False]' does not allow null values.`;
    }
    const fits =
      parameter.type === 'Edm.String'
        ? typeof value === 'string'
        : parameter.type === 'Edm.Boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31;
    if (!fits)
      return `Cannot convert a primitive value to the expected type '${parameter.type}'. See the inner exception for more details.`;
  }
  const given = (name: string): boolean => Object.hasOwn(payload, name) && payload[name] !== undefined;
  const missing = action.parameters
    .filter((p) => !p.nullable && !given(p.name))
    // A tolerated alias stands for the parameter it names.
    .filter((p) => !(p.name === 'exportPreviewCount' && aliases.some((a) => given(a.name))))
    .map((p) => p.name);
  return missing.length
    ? `One or more parameters of the operation '${action.name}' are missing from the request payload. The missing parameters are: ${missing.join(', ')}.`
    : null;
}
