// The operator's watch route: a room's participants and their shared stats, for a screen that is
// not in the call (for example a teacher's browser outside the network lab). Client-side only.
import type { Metadata } from 'next';
import { WatchView } from '../components/watch/WatchView';

export const metadata: Metadata = { title: 'Watch a room · Mesh vs SFU' };

export default function WatchPage() {
  return <WatchView />;
}
