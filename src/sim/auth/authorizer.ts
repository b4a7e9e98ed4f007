/**
 * The authorizer interface (k8s.io/apiserver/pkg/authorization/authorizer) and the simple ones:
 * AlwaysAllow, the system:masters privileged-group authorizer and the union that chains them.
 */
import { ALL, type Attributes, type PolicyRule } from './rbac-rules.js';
import { SYSTEM_MASTERS, type UserInfo } from './user-info.js';

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthorizationResult {
  readonly decision: Decision;
  /** Why (RBAC: "allowed by ClusterRoleBinding ..."), or what went wrong looking; may be ''. */
  readonly reason: string;
}

/** What SelfSubjectRulesReview reports. */
export interface RulesResult {
  readonly resourceRules: PolicyRule[];
  readonly nonResourceRules: PolicyRule[];
  readonly incomplete: boolean;
  readonly evaluationError?: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): AuthorizationResult;
  rulesFor(user: UserInfo, namespace: string): RulesResult;
}

const EVERYTHING: RulesResult = {
  resourceRules: [{ verbs: [ALL], apiGroups: [ALL], resources: [ALL] }],
  nonResourceRules: [{ verbs: [ALL], nonResourceURLs: [ALL] }],
  incomplete: false,
};

export const alwaysAllow: Authorizer = {
  authorize: () => ({ decision: 'allow', reason: '' }),
  rulesFor: () => structuredClone(EVERYTHING),
};

/** authorizerfactory.NewPrivilegedGroups(system:masters): members may do anything, whatever RBAC says. */
export const privilegedGroups: Authorizer = {
  authorize: (attrs) => ({
    decision: attrs.user.groups.includes(SYSTEM_MASTERS) ? 'allow' : 'noOpinion',
    reason: '',
  }),
  rulesFor: (user) =>
    user.groups.includes(SYSTEM_MASTERS)
      ? structuredClone(EVERYTHING)
      : { resourceRules: [], nonResourceRules: [], incomplete: false },
};

/** union.New: the first allow or deny wins; otherwise no opinion with every reason, one per line. */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const r = a.authorize(attrs);
        if (r.decision !== 'noOpinion') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return { decision: 'noOpinion', reason: reasons.join('\n') };
    },
    rulesFor(user, namespace) {
      const out: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false };
      const errors: string[] = [];
      let incomplete = false;
      for (const a of authorizers) {
        const r = a.rulesFor(user, namespace);
        out.resourceRules.push(...r.resourceRules);
        out.nonResourceRules.push(...r.nonResourceRules);
        incomplete ||= r.incomplete;
        if (r.evaluationError) errors.push(r.evaluationError);
      }
      return {
        ...out,
        incomplete,
        ...(errors.length
          ? { evaluationError: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` }
          : {}),
      };
    },
  };
}
