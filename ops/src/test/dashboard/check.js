// Opens the ddpp live dashboard in headless Debian chromium and checks that it works as a user would see it:
// every main chart has drawn data, the grid heat maps are shown, and the page keeps updating live (more records
// arrive over server-sent events and a newer grid picture replaces the first one). Then it saves a screenshot.
//
//   node check.js <url> <screenshot.png> [minPoints]
//
// Prints "STATUS <json>" lines and "OK" on success; exits 1 with a reason otherwise. Run by DashboardBrowserTest.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const [url, shot, minArg] = process.argv.slice(2);
if (!url || !shot) {
  console.error("usage: node check.js <url> <screenshot.png> [minPoints]");
  process.exit(2);
}
const minPoints = Number(minArg || 10);
const MAIN = ["reward", "tv", "loss", "logz", "lag"];

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ddpp-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.DDPP_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1440, height: 1000 },
    timeout: 20000,
  });
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on("pageerror", e => errors.push(String(e)));
    page.on("console", m => { if (m.type() === "error") errors.push("console: " + m.text()); });
    const external = [];
    page.on("request", r => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });

    await page.goto(url, { waitUntil: "load", timeout: 10000 });
    const status = () => page.evaluate(() => window.ddppStatus());
    try {
      await page.waitForFunction(([min, main]) => {
        const s = window.ddppStatus && window.ddppStatus();
        if (!s || !s.grid) return false;
        const rates = Object.keys(s.charts).filter(k => k.startsWith("rate-"));
        return main.every(id => (s.charts[id] || 0) >= min) && rates.length > 0 && rates.every(k => s.charts[k] >= min);
      }, [minPoints, MAIN], { timeout: 15000, polling: 200 });
    } catch (e) {
      console.log("STATUS " + JSON.stringify(await status()));
      await page.screenshot({ path: shot, fullPage: true });
      throw new Error("charts did not show " + minPoints + " points each: " + e.message.split("\n")[0]);
    }
    const first = await status();
    console.log("STATUS " + JSON.stringify(first));

    // live: more records and a newer grid picture must arrive without reloading the page
    try {
      await page.waitForFunction(([records, version]) => {
        const s = window.ddppStatus();
        return s.records > records && s.gridVersion !== version;
      }, [first.records, first.gridVersion], { timeout: 8000, polling: 200 });
    } catch (e) {
      console.log("STATUS " + JSON.stringify(await status()));
      throw new Error("the page did not update live: " + e.message.split("\n")[0]);
    }
    const later = await status();
    console.log("STATUS " + JSON.stringify(later));
    const tiles = await page.evaluate(() => Object.fromEntries(
      [...document.querySelectorAll(".tile")].map(t => [t.querySelector(".k").textContent, t.querySelector(".v").textContent])));
    console.log("TILES " + JSON.stringify(tiles));

    await page.screenshot({ path: shot, fullPage: true });
    console.log("SCREENSHOT " + shot);
    if (external.length) throw new Error("the page fetched outside its origin: " + external.join(", "));
    if (errors.length) throw new Error("page errors: " + errors.join(" | "));
    console.log("OK");
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error("FAIL " + e.message);
  process.exit(1);
});
