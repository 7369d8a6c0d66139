/**
 * The event socket's subprotocols, shared by the headless server and the browser transport.
 * A browser can set no header on a WebSocket, so the page offers the token as a second
 * subprotocol, `riglease.bearer.<token>` (base64url is a valid subprotocol token); the server
 * answers with WS_PROTOCOL only, so the token is never echoed.
 */
export const WS_PROTOCOL = 'riglease.v1';
export const WS_BEARER_PREFIX = 'riglease.bearer.';
