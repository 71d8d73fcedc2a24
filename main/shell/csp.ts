/**
 * The Content-Security-Policy of the renderer, one string for the custom protocol, the bridge and the meta tag
 * (security checklist item 7): only our own scripts, workers and styles, images from ourselves and blob: URLs
 * (ROI tiles), fetch/EventSource only to our own origin, no plugins, frames, forms or base changes.
 */
export const CSP_DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  // the mosaic's tile-sheet worker: a module file of our own (also what script-src would allow; said explicitly)
  ['worker-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['object-src', "'none'"],
];

/** The policy as a header value. */
export function contentSecurityPolicy(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The policy for a `<meta http-equiv>` tag (frame-ancestors is ignored there, so it is left out). */
export function metaContentSecurityPolicy(): string {
  return CSP_DIRECTIVES.filter(([name]) => name !== 'frame-ancestors')
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** Headers every renderer response carries (custom protocol and bridge alike). */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    // the bridge's token is in the page URL; it must never leave in a Referer header
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
