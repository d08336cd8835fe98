// The room route: reads the link (room, mode, name, autojoin) on the server and hands plain props to the client.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Room } from '../../components/room/Room';
import { earlyMediaScript } from '../../lib/media/early-media';

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

/** The page request's CSP nonce (server/security-headers.ts puts the policy on the request too). */
async function scriptNonce(): Promise<string | null> {
  const policy = (await headers()).get('content-security-policy') ?? '';
  return /'nonce-([^']+)'/.exec(policy)?.[1] ?? null;
}

export default async function RoomPage({ params, searchParams }: RoomPageProps) {
  const [{ roomId }, query] = await Promise.all([params, searchParams]);
  const autojoin = first(query.autojoin) === '1';
  const nonce = autojoin ? await scriptNonce() : null;
  return (
    <>
      {/* An autojoining page asks for the camera while its scripts load (early-media.ts). */}
      {nonce && <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: earlyMediaScript() }} />}
      <Room
        roomId={decode(roomId)}
        mode={first(query.mode)}
        name={first(query.name)}
        autojoin={autojoin}
        relayOnly={first(query.relay) === '1'}
        e2ee={first(query.e2ee) === '1'}
        sfuAbove={first(query.sfuAbove) ?? null}
      />
    </>
  );
}
