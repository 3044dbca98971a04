import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkFaultSettings } from './faults';
import type { FaultSettings, FaultState } from './faults';
import { BodyTooLargeError, parseJsonObject, readBody, sendJson } from './http/http';
import type { Emulator } from './server';
import type { DmfService } from './fno/dmfService';
import { ConnectorFailure } from './fno/recurring';
import type { RecurringJobSpec, RecurringService } from './fno/recurring';

/**
 * The admin API: what tests and the CLI use to steer the emulator. Behind the emulator's door
 * (loopback Host, no foreign Origin) and a per-run token: every request sends
 * `Authorization: Bearer <adminToken>` (printed at startup, `emulator.adminToken`), and bodies are
 * JSON only (`Content-Type: application/json`), so no cross-site form can post one.
 *   GET    /admin                 the startup summary (same fields as `dmfw emulator --json`)
 *   GET    /admin/clock           {now, iso, speed, manual}
 *   POST   /admin/clock/advance   {ms|seconds|minutes|hours|days}
 *   GET    /admin/faults          the faults in force
 *   POST   /admin/faults          add faults (see FaultSettings)
 *   DELETE /admin/faults          clear them
 *   GET    /admin/calls?operation=&method=   the F&O call log;  DELETE /admin/calls clears it
 *   GET    /admin/recurring-jobs  the recurring data jobs; POST one (RecurringJobSpec) to add it
 *   POST   /admin/executions/<id>/release   lets a stuck execution finish;  …/cancel cancels it
 */
export interface AdminContext {
  readonly emulator: Emulator;
  readonly recurring: RecurringService;
  readonly dmf: DmfService;
  readonly faults: FaultState;
  readonly adminToken: string;
  setFaults(settings: FaultSettings): void;
  clearFaults(): void;
}

const UNITS: Record<string, number> = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export function emulatorSummary(e: Emulator): Record<string, unknown> {
  return {
    baseUrl: e.baseUrl,
    httpsUrl: e.httpsUrl,
    authority: e.authority,
    tokenUrl: e.tokenUrl,
    caFile: e.caFile,
    tenantId: e.tenantId,
    clientId: e.clientId,
    clientSecret: e.clientSecret,
    clientCertificateFile: e.clientCertificateFile,
    clientCertificateThumbprint: e.clientCertificateThumbprint,
    username: e.user.upn,
    password: e.userPassword,
    companies: e.companies,
    recurringJobs: e.recurringJobs,
    throttling: e.throttling,
    adminUrl: e.adminUrl,
    adminToken: e.adminToken,
  };
}

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: AdminContext,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  const { emulator } = ctx;
  const method = req.method ?? 'GET';
  const bad = (message: string, status = 400): void => sendJson(res, status, { error: message });
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (!sameToken(bearer, ctx.adminToken)) {
    req.resume();
    return bad('The admin API needs the token printed at startup: send Authorization: Bearer <adminToken>.', 401);
  }
  let body: Record<string, unknown> = {};
  if (method === 'POST') {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      return bad('Admin requests are JSON: send Content-Type: application/json (an empty body is {}).', 415);
    }
    try {
      const raw = await readBody(req, 1024 * 1024);
      const parsed = raw.length ? parseJsonObject(raw) : {};
      if (!parsed) return bad('The body must be a JSON object.');
      body = parsed;
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bad(error.message, 413);
      throw error;
    }
  }
  const clockState = (): Record<string, unknown> => {
    const now = emulator.clock.now();
    return { now, iso: new Date(now).toISOString(), speed: emulator.clock.speed, manual: emulator.clock.manual };
  };

  switch (`${method} ${path}`) {
    case 'GET /admin':
      return sendJson(res, 200, emulatorSummary(emulator));
    case 'GET /admin/clock':
      return sendJson(res, 200, clockState());
    case 'POST /admin/clock/advance': {
      let ms = 0;
      for (const [unit, factor] of Object.entries(UNITS)) {
        const v = body[unit];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) return bad(`${unit} must be a number ≥ 0.`);
        ms += v * factor;
      }
      emulator.clock.advance(ms);
      return sendJson(res, 200, clockState());
    }
    case 'GET /admin/faults':
      return sendJson(res, 200, ctx.faults);
    case 'POST /admin/faults': {
      const problem = checkFaultSettings(body);
      if (problem) return bad(problem);
      ctx.setFaults(body as FaultSettings);
      return sendJson(res, 200, ctx.faults);
    }
    case 'DELETE /admin/faults':
      ctx.clearFaults();
      return sendJson(res, 200, ctx.faults);
    case 'GET /admin/calls': {
      const operation = url.searchParams.get('operation') ?? undefined;
      const m = url.searchParams.get('method') ?? undefined;
      return sendJson(res, 200, {
        value: emulator.calls.list({ ...(operation ? { operation } : {}), ...(m ? { method: m } : {}) }),
      });
    }
    case 'DELETE /admin/calls':
      emulator.calls.clear();
      return sendJson(res, 200, { value: [] });
    case 'GET /admin/recurring-jobs':
      return sendJson(res, 200, { value: ctx.recurring.jobs() });
    case 'POST /admin/recurring-jobs':
      try {
        return sendJson(res, 201, ctx.recurring.addJob(body as unknown as RecurringJobSpec));
      } catch (error) {
        if (error instanceof ConnectorFailure) return bad(error.message, error.status);
        throw error;
      }
    default: {
      const m = /^\/admin\/executions\/([^/]+)\/(release|cancel)$/.exec(path);
      const x = m?.[1] ? ctx.dmf.executions.get(decodeURIComponent(m[1])) : undefined;
      if (method === 'POST' && m && x) {
        if (m[2] === 'release') x.stuck = false;
        else x.canceled = true;
        return sendJson(res, 200, { id: x.id, stuck: x.stuck, canceled: x.canceled });
      }
      if (m) return bad(`No execution has the id '${decodeURIComponent(m[1] ?? '')}'.`, 404);
      return bad(`Unknown admin request ${method} ${path}. See emulator/admin.ts for the admin API.`, 404);
    }
  }
}
