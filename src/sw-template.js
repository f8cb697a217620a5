// Candour's service worker: precaches the whole (static) app so it works offline after the
// first load. Same-origin GET requests only; it never fetches anything from another origin.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `candour-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('candour-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const isPage = request.mode === 'navigate';
      // ignoreVary: a server that says `Vary: Origin` (vite preview, so `npm start`) would
      // otherwise never match the precached copy, stored without an Origin, and a reload with
      // the server stopped would show a blank page. The files are the same for any origin.
      const cached = await cache.match(isPage ? './' : request, { ignoreSearch: isPage, ignoreVary: true });
      if (cached) return cached;
      try {
        return await fetch(request);
      } catch (e) {
        const fallback = isPage ? await cache.match('./', { ignoreVary: true }) : undefined;
        if (fallback) return fallback;
        throw e;
      }
    })(),
  );
});
