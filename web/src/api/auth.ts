// The login URL the server prints carries the token in the fragment (#token=…), which browsers never send to a
// server. It is moved to localStorage and removed from the address bar at once.
const KEY = 'weft.token';

export function takeTokenFromUrl(location: Location, history: History, storage: Storage): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  storage.setItem(KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search + '#/');
}

export function getToken(): string | null {
  return localStorage.getItem(KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}
