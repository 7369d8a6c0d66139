import { useMemo, type ReactNode } from 'react';
import { create } from 'qrcode/lib/core/qrcode.js';

/** The join code as a QR code (one SVG path, like the wallet's receive QR), for a phone to carry over. */
export function JoinQr({ code, size = 200 }: { code: string; size?: number }): ReactNode {
  const { d, n } = useMemo(() => {
    const { modules } = create(code, { errorCorrectionLevel: 'L' });
    const parts: string[] = [];
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) parts.push(`M${c + 4} ${r + 4}h1v1h-1z`);
    }
    return { d: parts.join(''), n: modules.size + 8 };
  }, [code]);
  return (
    <svg className="qr" width={size} height={size} viewBox={`0 0 ${n} ${n}`} role="img" aria-label="QR code of the join code" data-testid="join-qr" shapeRendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
