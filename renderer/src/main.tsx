import './zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api/client-context.js';
import { adoptSessionToken } from './api/session-token.js';
import { App } from './app.js';
import './styles.css';
import './narrow.css';

// Before the router reads the hash: `#token=…` is the login link's, not a route.
if (!window.riglease) adoptSessionToken();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ClientProvider>
      <App />
    </ClientProvider>
  </StrictMode>,
);
