// Security headers for every HTTP answer, and the Content-Security-Policy of the pages. Next.js
// renders inline bootstrap scripts, so the policy allows scripts by a fresh nonce per page request
// ('strict-dynamic' then trusts the chunks those scripts load). Next finds the nonce in the
// request's own Content-Security-Policy header and stamps it on its scripts, which is why the page
// handler gets the policy on the request as well as on the response.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** For every answer, our JSON routes included. */
export function setBaseSecurityHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  // Room names are in URLs: do not hand them to other sites.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()');
}

/**
 * `otherNodes`: in a cluster, the other nodes' origins, where a page reconnects its signaling when
 * its own node dies (each as http(s) and ws(s), since browsers differ on whether one covers the other).
 */
export function pagePolicy(nonce: string, dev: boolean, otherNodes: readonly string[] = []): string {
  const nodes = otherNodes.flatMap((origin) => [origin, origin.replace(/^http/, 'ws')]);
  return [
    "default-src 'self'",
    // 'unsafe-eval' only for the development server's hot reload.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React's style={...} attributes and uPlot's sizing are inline styles: harmless, and allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    // Signaling's WebSocket is same-origin ('self' covers ws: and wss: to this host in CSP 3).
    ["connect-src 'self'", ...nodes].join(' '),
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Before handing a request to Next.js: the policy on the response, and on the request for Next. */
export function applyPagePolicy(req: IncomingMessage, res: ServerResponse, dev: boolean, otherNodes: readonly string[] = []): void {
  const policy = pagePolicy(randomBytes(16).toString('base64'), dev, otherNodes);
  req.headers['content-security-policy'] = policy;
  res.setHeader('content-security-policy', policy);
}
