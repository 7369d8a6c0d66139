import { z } from 'zod';

// zod compiles fast parsers with `new Function` when it may. Our CSP has no 'unsafe-eval', so
// the probe would be refused and logged as a CSP violation on every start: parse without it.
z.config({ jitless: true });
