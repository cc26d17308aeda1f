/** The baseline for bench/host.js: a Comlink round trip to a worker that does nothing but answer. */
import * as Comlink from 'comlink';

const echo = { echo: <T>(value: T): T => value };

export type Echo = typeof echo;

Comlink.expose(echo);
