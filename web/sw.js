/**
 * The playground's service worker: every built file is cached when it installs, and answered from
 * the cache first, so after one visit the page works with no network. Its build (vite.config.ts)
 * fills in the file list and a version that changes with the files.
 */
const PRECACHE = self.__PRECACHE__;
const CACHE = `tidepool-playground-${self.__VERSION__}`;

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
      .then((names) => Promise.all(names.filter((name) => name.startsWith('tidepool-playground-') && name !== CACHE).map((name) => caches.delete(name))))
      // The first visit's page is controlled at once, so it works offline without a second load.
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // A navigation to any path of the playground (#routes never reach here) is its one page.
  const url = request.mode === 'navigate' ? new URL('./', self.location.href).href : request.url;
  // By URL, ignoring Vary: a module script's request carries an Origin header that install's did not.
  event.respondWith(caches.match(url, { ignoreSearch: true, ignoreVary: true }).then((cached) => cached ?? fetch(request)));
});
