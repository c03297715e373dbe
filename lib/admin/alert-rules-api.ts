import { readJsonBody } from "@/lib/admin/admin-request";
import type { AdminDeps } from "@/lib/admin/admin-deps";
import {
  createAlertRule,
  editAlertRule,
  retireAlertRule,
  setAlertRuleStatus,
} from "@/lib/admin/alert-rule-admin";
import type { AdminActor } from "@/lib/admin/symbol-admin";
import { withAdminApi, type SignedInRequest } from "@/lib/admin/with-admin-api";
import { ApiError } from "@/lib/api/errors";
import type { DbOrTx } from "@/lib/db/client";
import { listAdminAlertRules } from "@/lib/db/queries/alert-views";
import { alertRuleInputSchema, parseRuleIdText } from "@/lib/events/alert-rule";
import {
  alertRuleStatusBodySchema,
  type AdminAlertRule,
  type AdminAlertRulesResponse,
  type AlertRuleChangeResponse,
  type AlertRuleDeleteResponse,
} from "@/lib/events/api-alerts";

type RuleParams = { id: string };

const json = (body: unknown, status = 200) => Response.json(body, { status });

function toActor(req: SignedInRequest<unknown>): AdminActor {
  return { username: req.session.username, clientIp: req.clientIp };
}

/** The rule id of an `[id]` route: 400 for anything but a positive whole number. */
function parseRuleId(params: RuleParams): number {
  const id = parseRuleIdText(params.id);
  if (id === null)
    throw new ApiError("bad_request", `${JSON.stringify(params.id.slice(0, 24))} is not an alert rule id`);
  return id;
}

async function getAdminRuleOrThrow(db: DbOrTx, id: number): Promise<AdminAlertRule> {
  const [rule] = await listAdminAlertRules(db, id);
  if (!rule) throw new ApiError("not_found", `no alert rule ${id} (it may have been deleted)`);
  return rule;
}

/**
 * The admin's alert rule API (app/api/admin/alert-rules/*), framework-free like createAdminApi. Bodies
 * are validated with alertRuleInputSchema, the one schema the admin form checks before sending, so an
 * error names the field (`condition.level: …`) the same way on both sides.
 */
export function createAlertRulesApi(getDeps: () => AdminDeps) {
  return {
    /** GET /api/admin/alert-rules: every rule that is not deleted, with its event counts. */
    list: withAdminApi(getDeps, async ({ deps }) =>
      json({ rules: await listAdminAlertRules(deps.db) } satisfies AdminAlertRulesResponse),
    ),

    /** POST /api/admin/alert-rules: create a rule; effective in the stream workers within 5 s. */
    create: withAdminApi(getDeps, async (req) => {
      const input = await readJsonBody(req.request, alertRuleInputSchema);
      const rule = await createAlertRule(req.deps.db, toActor(req), input);
      return json(
        { rule: await getAdminRuleOrThrow(req.deps.db, rule.id) } satisfies AlertRuleChangeResponse,
        201,
      );
    }),

    /** PUT /api/admin/alert-rules/[id]: replace a rule's name, condition, scope, cooldown and status. */
    update: withAdminApi<RuleParams>(getDeps, async (req) => {
      const id = parseRuleId(req.params);
      const input = await readJsonBody(req.request, alertRuleInputSchema);
      await editAlertRule(req.deps.db, toActor(req), id, input);
      return json({ rule: await getAdminRuleOrThrow(req.deps.db, id) } satisfies AlertRuleChangeResponse);
    }),

    /** PATCH /api/admin/alert-rules/[id]: pause ({"status": "paused"}) or resume ({"status": "enabled"}). */
    setStatus: withAdminApi<RuleParams>(getDeps, async (req) => {
      const id = parseRuleId(req.params);
      const body = await readJsonBody(req.request, alertRuleStatusBodySchema);
      await setAlertRuleStatus(req.deps.db, toActor(req), id, body.status);
      return json({ rule: await getAdminRuleOrThrow(req.deps.db, id) } satisfies AlertRuleChangeResponse);
    }),

    /** DELETE /api/admin/alert-rules/[id]: retire a rule (it stops firing; its events stay). */
    remove: withAdminApi<RuleParams>(getDeps, async (req) => {
      const id = parseRuleId(req.params);
      await retireAlertRule(req.deps.db, toActor(req), id);
      return json({ id, deleted: true } satisfies AlertRuleDeleteResponse);
    }),
  };
}

export type AlertRulesApi = ReturnType<typeof createAlertRulesApi>;
