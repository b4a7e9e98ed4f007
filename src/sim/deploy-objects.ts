/**
 * Defaulting and validation of the kinds a workload's manifests hold (ServiceAccount, Secret, ConfigMap,
 * Service, Deployment), as kube-apiserver's defaulters, REST strategies and pkg/apis/core/validation leave
 * them: Secret type Opaque and stringData folded into data, Service type/ports/clusterIP allocation,
 * Deployment strategy and pod template defaults; on update, the fields the apiserver makes immutable.
 * Only what is cheap and what a deployment is likely to hit; messages are the apiserver's.
 */
import type { KubeObject } from './kube-object.js';
import type { DeployResourceName } from './resources.js';
import { errors } from './status.js';
import type { Store } from './store.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

interface Cause {
  field: string;
  type: string;
  detail: string;
}

/** Go's %q of a string (enough for the values met here). */
const quote = (s: string): string => JSON.stringify(s);

/** Go's %#v of a map[string]string: keys sorted. */
function goMap(m: Obj): string {
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${quote(k)}:${quote(String(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey, for Secret and ConfigMap data keys. */
function keyCauses(field: string, data: Obj): Cause[] {
  const out: Cause[] = [];
  for (const key of Object.keys(data)) {
    if (key.length <= 253 && CONFIG_KEY.test(key) && key !== '.' && key !== '..') continue;
    out.push({
      field: `${field}[${key}]`,
      type: 'Invalid value',
      detail: `${quote(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    });
  }
  return out;
}

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/** encoding/base64's StdEncoding.DecodeString error position, or -1 when the text decodes. */
function base64ErrorAt(text: string): number {
  // Go's decoder skips \r and \n (kustomize folds long values over lines); offsets count them.
  let data = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\r' || c === '\n') continue;
    if (!BASE64_CHAR.test(c)) return i;
    if (c === '=' && !/^=*$/.test(text.slice(i).replace(/[\r\n]/g, ''))) return i;
    data++;
  }
  if (data % 4 !== 0) return text.length - (data % 4);
  return -1;
}

function fail(kind: string, name: string, causes: Cause[]): void {
  if (causes.length) throw errors.invalid(kind, name, causes);
}

/** SetDefaults_Secret and the strategy's stringData folding; a data value that is not base64 is a 400. */
function defaultSecret(obj: KubeObject): void {
  // []byte fields decode from base64 before anything else looks at them (a 400, not a 422).
  const data = asObj(obj.data);
  for (const [key, value] of Object.entries(data)) {
    const at = typeof value === 'string' ? base64ErrorAt(value) : 0;
    if (at >= 0) {
      throw errors.badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`,
      );
    }
    // Stored as the bytes decode, so read back re-encoded on one line, as the API server does.
    data[key] = (value as string).replace(/[\r\n]/g, '');
  }
  // stringData is write-only: merged over data, never stored.
  if (obj.stringData !== undefined) {
    const data = { ...asObj(obj.data) };
    for (const [k, v] of Object.entries(asObj(obj.stringData)))
      data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    obj.data = data;
    delete obj.stringData;
  }
  obj.type ??= 'Opaque';
}

/** ValidateSecret: data keys, and the keys a typed Secret must hold. */
function secretCauses(obj: KubeObject): Cause[] {
  const data = asObj(obj.data);
  const causes = keyCauses('data', data);
  if (obj.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key'])
      if (data[k] === undefined) causes.push({ field: `data[${k}]`, type: 'Required value', detail: '' });
  }
  return causes;
}

function defaultConfigMap(obj: KubeObject): void {
  const causes = [...keyCauses('data', asObj(obj.data)), ...keyCauses('binaryData', asObj(obj.binaryData))];
  for (const key of Object.keys(asObj(obj.data))) {
    if (key in asObj(obj.binaryData))
      causes.push({
        field: `data[${key}]`,
        type: 'Invalid value',
        detail: `${quote(key)}: duplicate of key present in binaryData`,
      });
  }
  fail('ConfigMap', obj.metadata?.name ?? '', causes);
}

/** The next free address of the service CIDR (10.96.0.0/12; .1 is the kubernetes Service's). */
function allocateClusterIp(store: Pick<Store, 'list'>): string {
  const used = new Set(store.list('services').map((s) => s.fields['spec.clusterIP']));
  for (let n = 10; n < 1 << 20; n++) {
    const ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
    if (!used.has(ip)) return ip;
  }
  throw errors.internal('failed to allocate a serviceIP: range is full');
}

function allocateNodePort(store: Pick<Store, 'list'>, taken: Set<number>): number {
  for (const s of store.list('services')) {
    for (const p of asArr(asObj((JSON.parse(s.json) as KubeObject).spec).ports))
      if (typeof p.nodePort === 'number') taken.add(p.nodePort);
  }
  for (let port = 30000; port <= 32767; port++) if (!taken.has(port)) return port;
  throw errors.internal('failed to allocate a nodePort: range is full');
}

function defaultService(obj: KubeObject, store: Pick<Store, 'list'>, previous?: KubeObject): void {
  const name = obj.metadata?.name ?? '';
  const spec = asObj(obj.spec);
  obj.spec = spec;
  const type = String(spec.type ?? 'ClusterIP');
  spec.type = type;
  const causes: Cause[] = [];
  const known = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!known.includes(type)) {
    causes.push({
      field: 'spec.type',
      type: 'Unsupported value',
      detail: `${quote(type)}: supported values: ${known.map(quote).join(', ')}`,
    });
  }
  const ports = asArr(spec.ports);
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None')
    causes.push({ field: 'spec.ports', type: 'Required value', detail: '' });
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) causes.push({ field: `${at}.name`, type: 'Required value', detail: '' });
    const port = p.port;
    if (typeof port !== 'number' || port < 1 || port > 65535)
      causes.push({
        field: `${at}.port`,
        type: 'Invalid value',
        detail: `${String(port ?? 0)}: must be between 1 and 65535, inclusive`,
      });
    p.protocol ??= 'TCP';
    p.targetPort ??= port;
  });
  fail('Service', name, causes);
  if (type === 'ExternalName') return;
  const old = previous ? asObj(previous.spec) : undefined;
  if (old && old.type !== 'ExternalName') {
    // An update that leaves clusterIP out keeps the allocated one (patchAllocatedValues).
    if (!spec.clusterIP) spec.clusterIP = old.clusterIP;
    if (!Array.isArray(spec.clusterIPs) && Array.isArray(old.clusterIPs)) spec.clusterIPs = old.clusterIPs;
    if (spec.clusterIP !== old.clusterIP) {
      throw errors.invalid('Service', name, [
        {
          field: 'spec.clusterIPs[0]',
          type: 'Invalid value',
          detail: `${quote(String(spec.clusterIP))}: may not change once set`,
        },
      ]);
    }
  }
  spec.clusterIP ||= allocateClusterIp(store);
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (type === 'NodePort' || type === 'LoadBalancer') {
    spec.externalTrafficPolicy ??= 'Cluster';
    const oldPorts = asArr(old?.ports);
    const taken = new Set<number>();
    for (const p of ports) {
      if (typeof p.nodePort === 'number') continue;
      const kept = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol)?.nodePort;
      p.nodePort = typeof kept === 'number' ? kept : allocateNodePort(store, taken);
      taken.add(p.nodePort as number);
    }
  }
  if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  obj.status ??= { loadBalancer: {} };
}

function defaultPodTemplateSpec(spec: Obj): void {
  for (const list of ['containers', 'initContainers']) {
    for (const c of asArr(spec[list])) {
      const image = String(c.image ?? '');
      const tag = image.includes('@') ? 'digest' : (image.split('/').pop()?.split(':')[1] ?? 'latest');
      c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      c.resources ??= {};
      for (const p of asArr(c.ports)) p.protocol ??= 'TCP';
    }
  }
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

/** The label selector's matchLabels/matchExpressions against labels (metav1.LabelSelectorAsSelector). */
function selects(selector: Obj, labels: Obj): boolean {
  for (const [k, v] of Object.entries(asObj(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of asArr(selector.matchExpressions)) {
    const has = Object.hasOwn(labels, String(e.key));
    const values = asArr(e.values) as unknown[];
    const value = labels[String(e.key)];
    const ok =
      e.operator === 'In'
        ? has && values.includes(value)
        : e.operator === 'NotIn'
          ? !has || !values.includes(value)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

function defaultDeployment(obj: KubeObject, previous?: KubeObject): void {
  const name = obj.metadata?.name ?? '';
  const spec = asObj(obj.spec);
  obj.spec = spec;
  const template = asObj(spec.template);
  spec.template = template;
  const templateSpec = asObj(template.spec);
  template.spec = templateSpec;
  const causes: Cause[] = [];
  const selector = spec.selector;
  const labels = asObj(asObj(template.metadata).labels);
  if (!selector || typeof selector !== 'object')
    causes.push({ field: 'spec.selector', type: 'Required value', detail: '' });
  else if (Object.keys(asObj(selector)).length === 0 || !selects(asObj(selector), labels)) {
    causes.push({
      field: 'spec.template.metadata.labels',
      type: 'Invalid value',
      detail: `${goMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  const containers = asArr(templateSpec.containers);
  if (containers.length === 0)
    causes.push({ field: 'spec.template.spec.containers', type: 'Required value', detail: '' });
  containers.forEach((c, i) => {
    if (!c.name)
      causes.push({ field: `spec.template.spec.containers[${i}].name`, type: 'Required value', detail: '' });
    if (!c.image)
      causes.push({ field: `spec.template.spec.containers[${i}].image`, type: 'Required value', detail: '' });
  });
  if (typeof spec.replicas === 'number' && spec.replicas < 0)
    causes.push({
      field: 'spec.replicas',
      type: 'Invalid value',
      detail: `${spec.replicas}: must be greater than or equal to 0`,
    });
  if (previous && JSON.stringify(asObj(previous.spec).selector) !== JSON.stringify(selector)) {
    causes.push({
      field: 'spec.selector',
      type: 'Invalid value',
      detail: `v1.LabelSelector{MatchLabels:${goMap(asObj(asObj(selector).matchLabels))}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
    });
  }
  fail('Deployment.apps', name, causes);
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const strategy = asObj(spec.strategy);
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = asObj(strategy.rollingUpdate);
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
    strategy.rollingUpdate = ru;
  }
  spec.strategy = strategy;
  const meta = asObj(template.metadata);
  meta.creationTimestamp ??= null;
  template.metadata = meta;
  defaultPodTemplateSpec(templateSpec);
}

/** Defaulting and validation on create; throws the apiserver's 400/422 Status. */
export function defaultDeployObject(
  resource: DeployResourceName,
  obj: KubeObject,
  store: Pick<Store, 'list'>,
): void {
  switch (resource) {
    case 'secrets':
      defaultSecret(obj);
      fail('Secret', obj.metadata?.name ?? '', secretCauses(obj));
      break;
    case 'configmaps':
      defaultConfigMap(obj);
      break;
    case 'services':
      defaultService(obj, store);
      break;
    case 'deployments':
      obj.status = {};
      defaultDeployment(obj);
      break;
    case 'serviceaccounts':
      break;
  }
}

/** `immutable: true` Secrets and ConfigMaps refuse data changes (ValidateSecretUpdate/ValidateConfigMapUpdate). */
function immutableData(old: KubeObject, next: KubeObject, fields: string[]): Cause[] {
  const causes: Cause[] = [];
  if (old.immutable === true) {
    if (next.immutable !== true)
      causes.push({
        field: 'immutable',
        type: 'Forbidden',
        detail: 'field is immutable when `immutable` is set',
      });
    for (const f of fields) {
      if (JSON.stringify(old[f] ?? {}) !== JSON.stringify(next[f] ?? {}))
        causes.push({ field: f, type: 'Forbidden', detail: 'field is immutable when `immutable` is set' });
    }
  }
  return causes;
}

/** Defaulting and validation of the new state on update (PUT or PATCH); `old` is the stored object. */
export function defaultDeployUpdate(
  resource: DeployResourceName,
  old: KubeObject,
  next: KubeObject,
  store: Pick<Store, 'list'>,
): void {
  const name = old.metadata?.name ?? '';
  switch (resource) {
    case 'secrets': {
      defaultSecret(next);
      const causes: Cause[] = [];
      if (next.type !== old.type)
        causes.push({
          field: 'type',
          type: 'Invalid value',
          detail: `${quote(String(next.type))}: field is immutable`,
        });
      causes.push(...immutableData(old, next, ['data']), ...secretCauses(next));
      fail('Secret', name, causes);
      break;
    }
    case 'configmaps':
      defaultConfigMap(next);
      fail('ConfigMap', name, immutableData(old, next, ['data', 'binaryData']));
      break;
    case 'services':
      defaultService(next, store, old);
      break;
    case 'deployments':
      defaultDeployment(next, old);
      break;
    case 'serviceaccounts':
      break;
  }
}
