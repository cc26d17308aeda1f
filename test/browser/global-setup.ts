import { buildPage } from './harness.js';

/** The page is built once per run, from the current src/. */
export default async function globalSetup(): Promise<void> {
  await buildPage();
}
