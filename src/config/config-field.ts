import type { GatewayConfig } from './gateway-config.js';

/**
 * A settable leaf of GatewayConfig as a dotted path: `port`, `drain.leaseMs`. Arrays are leaves
 * (a repeatable flag sets the whole list), nested objects are one level deep.
 */
export type ConfigField = {
  [K in keyof GatewayConfig & string]: GatewayConfig[K] extends readonly unknown[]
    ? K
    : GatewayConfig[K] extends object
      ? `${K}.${keyof GatewayConfig[K] & string}`
      : K;
}[keyof GatewayConfig & string];

/** The type of the value at a ConfigField. */
export type ConfigValue<P extends ConfigField> = P extends `${infer A}.${infer B}`
  ? A extends keyof GatewayConfig
    ? B extends keyof GatewayConfig[A]
      ? GatewayConfig[A][B]
      : never
    : never
  : P extends keyof GatewayConfig
    ? GatewayConfig[P]
    : never;

/** The fields whose value is a T, e.g. the booleans a switch can set. */
export type FieldOf<T> = { [P in ConfigField]: ConfigValue<P> extends T ? P : never }[ConfigField];

type Tree = Record<string, unknown>;

export function getField<P extends ConfigField>(config: GatewayConfig, field: P): ConfigValue<P> {
  const [head, leaf] = field.split('.') as [string, string | undefined];
  const top = (config as unknown as Tree)[head];
  return (leaf === undefined ? top : (top as Tree)[leaf]) as ConfigValue<P>;
}

/** Sets a field of a config under construction (a deep copy the caller owns). */
export function setField(config: GatewayConfig, field: ConfigField, value: unknown): void {
  const [head, leaf] = field.split('.') as [string, string | undefined];
  const tree = config as unknown as Tree;
  if (leaf === undefined) tree[head] = value;
  else (tree[head] as Tree)[leaf] = value;
}
