import { useMemo, type ReactNode } from 'react';
import { create } from 'qrcode/lib/core/qrcode.js';

/**
 * The receive QR code, drawn as one SVG path from the qrcode package's encoder: no canvas, no
 * data: URL and no inline markup, so it needs nothing from the CSP. Dark modules on a white
 * quiet zone in both themes, because phone scanners expect dark-on-light.
 */
export function ReceiveQr({ address, size = 168 }: { address: string; size?: number }): ReactNode {
  const { d, n } = useMemo(() => {
    const { modules } = create(address, { errorCorrectionLevel: 'M' });
    const parts: string[] = [];
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) parts.push(`M${c + 4} ${r + 4}h1v1h-1z`);
    }
    return { d: parts.join(''), n: modules.size + 8 };
  }, [address]);
  return (
    <svg className="qr" width={size} height={size} viewBox={`0 0 ${n} ${n}`} role="img" aria-label={`QR code of ${address}`} data-testid="receive-qr" shapeRendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
