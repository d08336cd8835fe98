'use client';
// For a class on the LAN: this page's own address as a QR code, so phones join by pointing their
// camera at the projector. Shown only when the page is reached at an address other devices could
// use too (not localhost). The code is drawn as one SVG path, no image or inline script.
import { useEffect, useState } from 'react';
import { encode } from 'uqr';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The QR matrix as an SVG path of unit squares (dark modules only). */
export function qrPath(text: string): { size: number; d: string } {
  const { data, size } = encode(text, { border: 2 });
  const d = data.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x} ${y}h1v1h-1z`] : []))).join('');
  return { size, d };
}

export function JoinQr() {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!LOOPBACK.test(window.location.hostname)) setUrl(`${window.location.origin}/`);
  }, []);
  if (!url) return null;
  const { size, d } = qrPath(url);
  return (
    <aside className="card join-qr" data-testid="join-qr" data-url={url}>
      <svg viewBox={`0 0 ${size} ${size}`} width={176} height={176} role="img" aria-label={`QR code for ${url}`} shapeRendering="crispEdges">
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
      <p>
        Join from a phone or another computer on this network: <strong>{url}</strong>
      </p>
    </aside>
  );
}
