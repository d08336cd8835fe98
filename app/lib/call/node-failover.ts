// Where a browser reconnects when several server nodes share the rooms: a blip is retried on the
// same node first; after that the tries go round the other live nodes (and back to ours, in case it
// returns), so the participants of a node that died come back on a survivor by themselves. Pure.
import type { ClusterNode } from '../../../signaling/protocol';

/** Tries on our own node before moving: a network blip is not a dead node. */
export const SAME_NODE_TRIES = 2;

/**
 * The node to try on this reconnect attempt (1-based), or null to retry where we are. `nodes` is
 * the last join or resume reply's list: the node we were on first, then the other live nodes.
 */
export function reconnectTarget(nodes: readonly ClusterNode[], attempt: number): ClusterNode | null {
  if (nodes.length < 2 || attempt <= SAME_NODE_TRIES) return null;
  const round = [...nodes.slice(1), nodes[0]];
  return round[(attempt - SAME_NODE_TRIES - 1) % round.length];
}
