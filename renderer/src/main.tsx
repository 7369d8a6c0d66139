import './zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api/client-context.js';
import { App } from './app.js';
import './styles.css';
import './narrow.css';

// The session token was taken from the login link by boot.ts, which loads this.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ClientProvider>
      <App />
    </ClientProvider>
  </StrictMode>,
);
