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

  /** Int32 parameters; OData also accepts them as numeric strings. */
  integer(name: string, fallback: number): number {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return fallback;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
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
