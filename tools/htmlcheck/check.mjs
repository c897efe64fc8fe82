#!/usr/bin/env node
// Open a local HTML file in headless Chromium with the network off, log every request it makes, and save a
// screenshot. Prints JSON: {requests: [url…], outside: [url…] (anything not the file itself, data: or blob:),
// errors: [page errors], screenshot: PATH}. Usage: check.mjs FILE.html SHOT.png [CHROMIUM]
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [file, shot, exe = "/usr/bin/chromium"] = process.argv.slice(2);
if (!file || !shot) {
  console.error("usage: check.mjs FILE.html SHOT.png [CHROMIUM]");
  process.exit(2);
}
const url = pathToFileURL(resolve(file)).href;
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "gk-chromium-")), {
  executablePath: exe,
  headless: true,
  offline: true,
  viewport: { width: 1200, height: 1400 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const requests = [];
const errors = [];
const page = context.pages()[0] ?? (await context.newPage());
page.on("request", (r) => requests.push(r.url()));
page.on("pageerror", (e) => errors.push(String(e)));
await page.route("**/*", (route) => {
  const u = route.request().url();
  return u === url || u.startsWith("data:") || u.startsWith("blob:") ? route.continue() : route.abort();
});
await page.goto(url, { waitUntil: "load" });
await page.evaluate(() => document.fonts.ready);
await page.waitForTimeout(2500); // vis.js stabilises the layout, then the font is applied and redrawn
await page.screenshot({ path: shot, fullPage: false });
const outside = requests.filter((u) => !(u === url || u.startsWith("data:") || u.startsWith("blob:")));
const canvas = await page.evaluate(() => {
  const c = document.querySelector("#mynetwork canvas");
  if (!c) return null;
  const r = c.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
});
const fontOk = await page.evaluate(() => document.fonts.check("14px GraphkitCJK", "张"));
console.log(JSON.stringify({ requests, outside, errors, screenshot: shot, canvas, fontOk }));
await context.close();
