// The connectivity check route: a server shell around the client-side check (it needs WebRTC).
import type { Metadata } from 'next';
import { ConnectivityCheck } from '../components/connectivity/ConnectivityCheck';

export const metadata: Metadata = { title: 'Connectivity check · Mesh vs SFU' };

export default function ConnectivityPage() {
  return <ConnectivityCheck />;
}
