import './zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api/client-context.js';
import { earlyCallsArrived } from './api/early-calls.js';
import { App } from './app.js';
import './styles.css';
import './narrow.css';

// The session token was taken from the login link by boot.ts, which loads this.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * How long the first render may wait for the answers boot.ts asked for. They have usually reached
 * the browser while this JavaScript was parsed and run; drawn with them, the first screen shows the
 * rig, not placeholders. A slow agent (its first scan) only delays the shell this much.
 */
const FIRST_ANSWERS_WAIT_MS = 100;

void earlyCallsArrived(FIRST_ANSWERS_WAIT_MS).then(() =>
  createRoot(root).render(
    <StrictMode>
      <ClientProvider>
        <App />
      </ClientProvider>
    </StrictMode>,
  ),
);
