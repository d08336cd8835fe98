// Answers /api/place in a cluster: the node a room's participants should open, by the documented
// rule (placeRoom): where most of the room already sits, else the least-loaded live node.
import type { PlaceResponse } from '../../signaling/http';
import type { RoomRegistry } from '../../signaling/rooms';
import { placeRoom, type NodeRegistry } from './node-registry';

export async function placeOn(registry: NodeRegistry, rooms: RoomRegistry, roomId: string): Promise<PlaceResponse> {
  const [nodes, room] = await Promise.all([registry.list(), rooms.find(roomId)]);
  const members = (room?.peers ?? []).flatMap((p) => (p.node ? [p.node] : []));
  const chosen = placeRoom(nodes, members);
  if (!chosen) return { node: null, url: null, reason: 'no live node published its load yet: stay here' };
  const reason = members.some((id) => id === chosen.id)
    ? `${members.filter((id) => id === chosen.id).length} of the room's ${members.length} participants are on ${chosen.id}`
    : `a new room goes to the least-loaded node: ${chosen.id} has ${chosen.load.participants} participants`;
  return { node: chosen.id, url: chosen.publicUrl, reason };
}
