// `tsx scripts/screenshot.ts <url> <out.png> [light|dark] [width]`: a full-page screenshot of a running
// Tickstream page in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH).
import { chromium } from "@playwright/test";

import { CHROMIUM_ARGS, getChromiumPath } from "@/tests/e2e/chromium";

const [
  url = "http://localhost:3000/",
  out = "docs/screenshots/dashboard.png",
  theme = "light",
  width = "1440",
] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: getChromiumPath(), args: CHROMIUM_ARGS });
const context = await browser.newContext({
  viewport: { width: Number(width), height: 900 },
  colorScheme: theme === "dark" ? "dark" : "light",
});
await context.addInitScript((t) => localStorage.setItem("tickstream-theme", t), theme);
const page = await context.newPage();
const started = Date.now();
await page.goto(url, { waitUntil: "load" });
await page.waitForTimeout(2_500); // charts measure their container after load
await page.screenshot({ path: out, fullPage: true });
console.log(`${out}: ${url} (${theme}) loaded in ${Date.now() - started} ms`);
await browser.close();
