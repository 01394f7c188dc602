import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { takeTokenFromUrl } from './api/auth';
import { App } from './App';
import './styles.css';

// Before anything renders: the token leaves the address bar (and the history entry) at once.
takeTokenFromUrl(location, history, localStorage);

// Live updates come from the event stream; queries are not refetched on a timer or on focus.
const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
