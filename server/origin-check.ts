// Which web pages may open a signaling connection. A browser sends the page's Origin with the
// WebSocket handshake and does not stop a foreign site from connecting (WebSockets are not bound
// by CORS), so without this check any page a participant visits could join rooms as them
// (cross-site WebSocket hijacking). Allowed: the server's own pages (Origin matches the Host the
// browser asked for), and the origins listed in PUBLIC_ORIGINS (a page served from elsewhere).
// Clients that are not browsers send no Origin and are not concerned.
import type { IncomingMessage } from 'node:http';

export function originAllowed(req: IncomingMessage, publicOrigins: readonly string[]): { ok: true } | { ok: false; origin: string } {
  const origin = req.headers.origin;
  if (!origin) return { ok: true };
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return { ok: false, origin };
  }
  if (host === req.headers.host || publicOrigins.includes(origin)) return { ok: true };
  return { ok: false, origin };
}
