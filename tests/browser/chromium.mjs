// Launches Debian's Chromium headless through playwright-core (no browser download), with the flags that keep it
// quiet and offline (docs in /work/shared/docs/engineering.md). playwright-core gives every launch a fresh temporary
// profile and removes it on close.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
