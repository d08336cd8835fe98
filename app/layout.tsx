// The app shell: document, global styles and the small top bar shared by the lobby and rooms.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Mesh vs SFU',
  description: 'One call, two topologies: full-mesh WebRTC or a mediasoup SFU, with live cost stats.',
};

// Every page is rendered per request: its scripts carry that request's CSP nonce
// (server/security-headers.ts), which a prerendered page could not.
export const dynamic = 'force-dynamic';

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0e1016' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Mesh <span className="muted">vs</span> SFU
          </a>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
