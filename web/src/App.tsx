import { useEffect, useState, type FormEvent } from 'react';
import { getToken, setToken } from './api/auth';
import { DagList } from './pages/dags/DagList';
import { DagPage } from './pages/dag/DagPage';
import { Events, Pools, Workers } from './pages/status/Status';
import { useHashRoute } from './components/useHashRoute';

function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState(() => localStorage.getItem('weft.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('weft.theme', theme);
  }, [theme]);
  return [theme, () => setTheme(theme === 'dark' ? 'light' : 'dark')];
}

function Login({ onToken }: { onToken: () => void }) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setToken(value.trim());
    onToken();
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>Weft</h1>
      <p>Open the login URL that <code>weft server</code> printed, or paste an API token (<code>weft tokens create</code>).</p>
      <label className="field"><span>Token</span><input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus /></label>
      <button className="primary" type="submit" disabled={!value.trim()}>Sign in</button>
    </form>
  );
}

export function App() {
  const { path, query } = useHashRoute();
  const [theme, toggleTheme] = useTheme();
  const [signedIn, setSignedIn] = useState(() => getToken() !== null);
  if (!signedIn) return <Login onToken={() => setSignedIn(true)} />;
  const page = path[0] ?? 'dags';
  return (
    <div className="app">
      <a href="#main" className="skip">Skip to content</a>
      <nav className="nav" aria-label="Main">
        <a href="#/" className="brand">weft</a>
        <a href="#/dags" aria-current={page === 'dags' ? 'page' : undefined}>DAGs</a>
        <a href="#/pools" aria-current={page === 'pools' ? 'page' : undefined}>Pools</a>
        <a href="#/workers" aria-current={page === 'workers' ? 'page' : undefined}>Workers</a>
        <a href="#/events" aria-current={page === 'events' ? 'page' : undefined}>Events</a>
        <span className="spacer" />
        <button onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? '☀' : '☾'}</button>
        <button onClick={() => { setToken(null); setSignedIn(false); }}>Sign out</button>
      </nav>
      <main id="main">
        {page === 'dags' && path[1] ? <DagPage key={path[1]} dagId={path[1]} query={query} /> : null}
        {page === 'dags' && !path[1] ? <DagList /> : null}
        {page === 'pools' && <Pools />}
        {page === 'workers' && <Workers />}
        {page === 'events' && <Events />}
      </main>
    </div>
  );
}
