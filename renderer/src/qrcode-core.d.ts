/**
 * The one part of the `qrcode` package the renderer uses: its pure encoder (no canvas, no Node).
 * Declared here because `@types/qrcode` pulls in Node's types, which the renderer must not see.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): {
    modules: { size: number; get(row: number, col: number): number | boolean };
  };
}
