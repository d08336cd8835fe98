// The presentation route: a large-type view for a projector, fed live by the call tabs of this
// browser or by recorded stats exports (client-side only).
import type { Metadata } from 'next';
import { PresentationView } from '../components/present/PresentationView';

export const metadata: Metadata = { title: 'Presentation · Mesh vs SFU' };

export default function PresentPage() {
  return <PresentationView />;
}
