/** The floor for bench/host.js: a worker that posts back each message it gets, with no library in between. */
addEventListener('message', (event: MessageEvent) => postMessage(event.data));
