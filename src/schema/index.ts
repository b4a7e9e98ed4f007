import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each import registers one GraphQL type and the root fields that return it.
import './relay-node.js';
import './cluster.js';
import './node.js';
import './node-connection.js';
import './node-change.js';
import './pod.js';
import './node-pods.js';
import './node-resources.js';
import './node-events.js';
import './drain.js';
import './bulk-drain.js';
import './node-mutations.js';
import './viewer.js';

/** Builds the product schema from every type file imported above. */
export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: false });
}
