// The room route: reads the link (room, mode, name, autojoin) on the server and hands plain props to the client.
import type { Metadata } from 'next';
import { Room } from '../../components/room/Room';

type SearchParams = Record<string, string | string[] | undefined>;
interface RoomPageProps {
  params: Promise<{ roomId: string }>;
  searchParams: Promise<SearchParams>;
}

function first(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: RoomPageProps): Promise<Metadata> {
  return { title: `${decode((await params).roomId)} · Mesh vs SFU` };
}

export default async function RoomPage({ params, searchParams }: RoomPageProps) {
  const [{ roomId }, query] = await Promise.all([params, searchParams]);
  return (
    <Room
      roomId={decode(roomId)}
      mode={first(query.mode)}
      name={first(query.name)}
      autojoin={first(query.autojoin) === '1'}
      relayOnly={first(query.relay) === '1'}
      e2ee={first(query.e2ee) === '1'}
      sfuAbove={first(query.sfuAbove) ?? null}
    />
  );
}
