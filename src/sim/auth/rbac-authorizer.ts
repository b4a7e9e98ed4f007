/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): visits every rule bound to the user, cluster-wide
 * bindings first, then the bindings of the request's namespace, and allows on the first rule that
 * matches. It never denies: no match is "no opinion", whose reason lists the roles that could not be found.
 */
import type { KubeObject } from '../kube-object.js';
import type { RbacResourceName } from '../resources.js';
import type { Store, StoredObject } from '../store.js';
import type { AuthorizationResult, Authorizer, RulesResult } from './authorizer.js';
import {
  type Attributes,
  appliesTo,
  describeSubject,
  type PolicyRule,
  type RoleRef,
  ruleAllows,
  type Subject,
} from './rbac-rules.js';
import type { UserInfo } from './user-info.js';

interface Binding {
  name: string;
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

/** The subset of the store the authorizer reads. */
export type RbacStore = Pick<Store, 'list' | 'get'>;

/** Parsed forms, per stored version (a write makes a new StoredObject, so entries never go stale). */
const parsed = new WeakMap<StoredObject, KubeObject>();

function parse(o: StoredObject): KubeObject {
  let p = parsed.get(o);
  if (!p) {
    p = JSON.parse(o.json) as KubeObject;
    parsed.set(o, p);
  }
  return p;
}

function toBinding(o: StoredObject): Binding {
  const obj = parse(o);
  return {
    name: o.name,
    namespace: o.namespace,
    subjects: (obj.subjects as Subject[] | undefined) ?? [],
    roleRef: (obj.roleRef as RoleRef | undefined) ?? { apiGroup: '', kind: '', name: '' },
  };
}

/** Called per rule with the binding that granted it; return false to stop. */
type RuleVisitor = (source: string, rule: PolicyRule) => boolean;

export class RbacAuthorizer implements Authorizer {
  constructor(private readonly store: RbacStore) {}

  private roleRules(ref: RoleRef, namespace: string): PolicyRule[] {
    let resource: RbacResourceName;
    if (ref.kind === 'ClusterRole') resource = 'clusterroles';
    else if (ref.kind === 'Role') resource = 'roles';
    else throw new Error(`unsupported role reference kind: "${ref.kind}"`);
    const key = resource === 'roles' ? `${namespace}/${ref.name}` : ref.name;
    const role = this.store.get(resource, key);
    if (!role) throw new Error(`${ref.kind.toLowerCase()}.rbac.authorization.k8s.io "${ref.name}" not found`);
    return (parse(role).rules as PolicyRule[] | undefined) ?? [];
  }

  /** VisitRulesFor; returns the errors met (missing roles) for the reason. */
  private visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): string[] {
    const errors: string[] = [];
    const scopes: Array<[RbacResourceName, string | undefined, string]> = [
      ['clusterrolebindings', undefined, 'ClusterRoleBinding'],
    ];
    if (namespace) scopes.push(['rolebindings', namespace, 'RoleBinding']);
    for (const [resource, ns, label] of scopes) {
      for (const stored of this.store.list(resource, ns)) {
        const b = toBinding(stored);
        const subject = b.subjects.find((s) => appliesTo(user, s, b.namespace));
        if (!subject) continue;
        let rules: PolicyRule[];
        try {
          rules = this.roleRules(b.roleRef, b.namespace);
        } catch (e) {
          errors.push((e as Error).message);
          continue;
        }
        const name = b.namespace ? `${b.name}/${b.namespace}` : b.name;
        const source = `${label} "${name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, b.namespace)}`;
        for (const rule of rules) if (!visit(source, rule)) return errors;
      }
    }
    return errors;
  }

  authorize(attrs: Attributes): AuthorizationResult {
    let allowedBy: string | undefined;
    const namespace = attrs.resourceRequest ? (attrs.namespace ?? '') : '';
    const errors = this.visitRulesFor(attrs.user, namespace, (source, rule) => {
      if (!ruleAllows(attrs, rule)) return true;
      allowedBy = source;
      return false;
    });
    if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${allowedBy}` };
    const reason =
      errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
    return { decision: 'noOpinion', reason };
  }

  rulesFor(user: UserInfo, namespace: string): RulesResult {
    const resourceRules: PolicyRule[] = [];
    const nonResourceRules: PolicyRule[] = [];
    const errors = this.visitRulesFor(user, namespace, (_source, rule) => {
      if (rule.resources?.length) {
        resourceRules.push({
          verbs: rule.verbs,
          apiGroups: rule.apiGroups ?? [],
          resources: rule.resources,
          ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
        });
      }
      if (rule.nonResourceURLs?.length) {
        nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
      }
      return true;
    });
    return {
      resourceRules,
      nonResourceRules,
      incomplete: false,
      ...(errors.length
        ? { evaluationError: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` }
        : {}),
    };
  }
}
