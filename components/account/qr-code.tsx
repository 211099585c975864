/** A QR code drawn as one SVG path (made on the server, so the secret never leaves the panel). */

/** QR code image; `path` and `size` come from lib/security/totp-qr. */
export function QrCode({ path, size, label }: { path: string; size: number; label: string }) {
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="totp-qr"
      viewBox={`0 0 ${size} ${size}`}
      width={Math.max(160, size * 4)}
      height={Math.max(160, size * 4)}
      shapeRendering="crispEdges"
      className="rounded bg-white"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
