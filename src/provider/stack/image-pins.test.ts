import { describe, expect, it } from 'vitest';
import { BASE_IMAGE, IMAGES, K3S_PUBLISHED_DIGEST } from './images.js';

const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** A pin without a digest must say so first, then where it looked: a reviewer sees it without reading the rest. */
const NO_DIGEST_REASON = /^no digest: .{20,}/;

describe('every image the stack runs is pinned by digest, or says honestly why not', () => {
  it.each(Object.entries(IMAGES))('%s', (_name, pin) => {
    if (DIGEST.test(pin.ref)) {
      expect(pin.digestSource).not.toMatch(/^no digest/);
      return;
    }
    expect(pin.digestSource, `${pin.ref} has neither a digest nor a reason`).toMatch(NO_DIGEST_REASON);
  });

  it('the k3s image\'s published digest, once known, is a real sha256 digest', () => {
    if (K3S_PUBLISHED_DIGEST !== null) expect(K3S_PUBLISHED_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the k3s image\'s base is a tag, and the reason is written where it is pinned', () => {
    // ubuntu:24.04 is named in the Dockerfile; a digest would pin one architecture's bytes there.
    expect(BASE_IMAGE).toMatch(/^[a-z]+:[0-9.]+(@sha256:[0-9a-f]{64})?$/);
  });
});
