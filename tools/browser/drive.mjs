// Drive JupyterLab and graphkit's visuals in Debian's headless Chromium with playwright-core (no browser
// download). Called by tests/test_browser.py and bench/widget_graph.py with one JSON argument file:
//   {"base": "http://127.0.0.1:PORT", "token": "...", "out": "folder for screenshots",
//    "notebooks": ["notebooks/01_quickstart.ipynb", ...],
//    "background": ["notebooks/03_tender_collusion.ipynb"],  (run in a second window while the others run)
//    "drive": {"notebook": "...02...", "query": "pinyin", "pick": "masked id", "who": "...", "purpose": "..."},
//    "risk": {"notebook": "...04..."},
//    "pages": [{"name": "communities", "file": "/abs/communities.html"}],
//    "bench": {"notebook": "..."},
//    "layout": {"notebook": "..."}}  (run it, then each tab of its workbench: what scrolls sideways)
// Prints one JSON object: per notebook the widgets found, errors, console errors and screenshots; the drive's
// steps; the Risk panel's steps, factor bars and the text it shows (portrait included); per page the time its
// graph took to settle.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];
const result = { notebooks: {}, drive: {}, risk: {}, pages: {}, bench: {}, layout: {}, console_errors: [], requests_outside: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const started = Date.now();
const browser = await chromium.launch({ executablePath: cfg.chromium || "/usr/bin/chromium", args: ARGS });
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
context.on("request", (req) => {
  const u = req.url();
  if (!u.startsWith(cfg.base || "http://127.0.0.1") && !u.startsWith("file:") && !u.startsWith("data:") && !u.startsWith("blob:") && !u.startsWith("ws://127.0.0.1"))
    result.requests_outside.push(u);
});

function watch(page, label) {
  page.on("console", (m) => {
    if (m.type() === "error") result.console_errors.push({ where: label, text: m.text() });
  });
  page.on("pageerror", (e) => result.console_errors.push({ where: label, text: String(e) }));
  // the console says only "status of 500"; name the request so a failure can be traced in the server's log
  page.on("response", (r) => {
    if (r.status() >= 500) {
      const u = new URL(r.url());
      result.console_errors.push({ where: label, text: `HTTP ${r.status()} ${r.request().method()} ${u.pathname}` });
    }
  });
}

async function openNotebook(page, nb, workspace) {
  const where = workspace ? `lab/workspaces/${workspace}` : "lab";
  await page.goto(`${cfg.base}/${where}/tree/${nb}?token=${cfg.token}&reset`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 90000 });
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.commands.hasCommand("notebook:run-all-cells"), null, { timeout: 60000 });
  // the kernel is up when the notebook's session has a kernel that says idle
  await page.waitForFunction(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return k && k.status === "idle";
  }, null, { timeout: 120000, polling: 250 });
}

async function runAll(page, timeout) {
  const t0 = Date.now();
  const state = () =>
    page.evaluate(() => {
      const w = window.jupyterapp.shell.currentWidget;
      const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
      const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map((p) => p.textContent.trim());
      return {
        busy: !!k && k.status !== "idle",
        started: prompts.some((p) => /\[(\*|\d+)\]/.test(p)),
        done: prompts.length > 0 && prompts.every((p) => /^\[\d+\]:$/.test(p)),
        failed: !!document.querySelector(".jp-Notebook [data-mime-type='application/vnd.jupyter.error']"),
        prompts,
      };
    });
  // Run All once; again only when, 20 s later, no cell has started and the kernel is idle (a command issued
  // before the notebook was wired to its kernel does nothing). Re-issuing sooner would queue every cell twice.
  for (let i = 0; i < 5; i++) {
    await page.evaluate(() => {
      window.jupyterapp.commands.execute("notebook:run-all-cells"); // not awaited: it settles after the last cell
    });
    let s = { started: false, busy: false };
    for (let j = 0; j < 40 && !(s.started || s.busy); j++) {
      await sleep(500);
      s = await state();
    }
    if (s.started || s.busy) break;
  }
  // done when every code cell has an execution count, or a cell failed (Run All stops); stalled when the kernel
  // has been idle for 60 s with cells not run
  let idleSince = null;
  for (;;) {
    const s = await state();
    if (s.done || s.failed) break;
    idleSince = s.busy ? null : idleSince ?? Date.now();
    if (idleSince !== null && Date.now() - idleSince > 60000)
      throw new Error(`Run All stalled: the kernel is idle and the prompts are ${s.prompts.join(" ")}`);
    if (Date.now() - t0 > timeout) throw new Error(`Run All took over ${timeout / 1000} s: ${s.prompts.join(" ")}`);
    await sleep(500);
  }
  return (Date.now() - t0) / 1000;
}

async function check(page, nb) {
  // let widget views render
  await sleep(1500);
  return page.evaluate(() => {
    const text = document.querySelector(".jp-Notebook").innerText;
    return {
      widgets: document.querySelectorAll(".jp-Notebook .jupyter-widgets").length,
      graphs: [...document.querySelectorAll(".jp-Notebook .graphkit-graph")].map((g) => Number(g.dataset.nodes || 0)),
      widget_errors: (text.match(/Error displaying widget/g) || []).length + (text.match(/Model not found/g) || []).length,
      tracebacks: document.querySelectorAll(".jp-Notebook [data-mime-type='application/vnd.jupyter.error']").length,
      prompts: [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map((p) => p.textContent.trim()),
      // the outputs that scroll sideways (cut off at the output area's right edge): cell number, box, widths
      overflow: [...document.querySelectorAll(".jp-Notebook .jp-Cell")].flatMap((c, i) =>
        [...c.querySelectorAll(".jp-OutputArea-output")].flatMap((o) => {
          const wide = [o, ...o.querySelectorAll("*")].find((el) => {
            if (el.tagName === "SELECT" || el.offsetParent === null) return false;
            const ox = getComputedStyle(el).overflowX;
            return (ox === "auto" || ox === "scroll") && el.scrollWidth > el.clientWidth + 1;
          });
          return wide ? [`cell ${i}: ${wide.tagName.toLowerCase()} ${wide.scrollWidth}>${wide.clientWidth}`] : [];
        }),
      ),
    };
  });
}

async function shot(page, name, locator) {
  const file = path.join(cfg.out, `${name}.png`);
  if (locator) await locator.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: false });
  return file;
}

async function waitStatus(scope, re, timeout = 60000) {
  const loc = scope.locator(".graphkit-status").first();
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    const t = (await loc.innerText().catch(() => "")) || "";
    if (re.test(t)) return t;
    await sleep(200);
  }
  throw new Error(`status never matched ${re}: ${await loc.innerText().catch(() => "")}`);
}

async function graphNodes(scope) {
  return Number((await scope.locator(".graphkit-graph").first().getAttribute("data-nodes")) || 0);
}

async function drive(page, d) {
  const steps = [];
  const wb = page.locator(".graphkit-workbench").last();
  await wb.scrollIntoViewIfNeeded();
  if (await wb.locator("input[placeholder='姓名 / 工号']").isVisible()) {
    await wb.locator("input[placeholder='姓名 / 工号']").fill(d.who);
    await wb.locator("input[placeholder='案件编号或查询事由']").fill(d.purpose);
    await wb.getByRole("button", { name: /开始$/ }).click();
    steps.push("identity given");
  }
  const ex = wb.locator(".graphkit-explorer");
  await ex.waitFor({ state: "visible" });
  await ex.locator(".graphkit-query input").fill(d.query);
  await ex.getByRole("button", { name: /查找$/ }).click();
  const said = await waitStatus(ex, /匹配/);
  steps.push(`find: ${said}`);
  const options = await ex.locator(".graphkit-results select option").allInnerTexts();
  const index = options.findIndex((o) => o.includes(d.pick));
  if (index < 0) throw new Error(`no option shows ${d.pick}: ${options.join(" | ")}`);
  await ex.locator(".graphkit-results select").selectOption({ index });
  steps.push(`picked option ${index + 1} of ${options.length}: ${options[index]}`);
  await ex.getByRole("button", { name: /关系展开$/ }).click();
  steps.push(`neighbourhood: ${await waitStatus(ex, /显示对象/)}`);
  await page.waitForFunction(() => Number(document.querySelector(".graphkit-explorer .graphkit-graph")?.dataset.nodes || 0) > 0, null, { timeout: 30000 });
  steps.push(`graph drawn: ${await graphNodes(ex)} nodes`);
  result.drive.neighbourhood_png = await shot(page, "explorer_neighbourhood", ex);
  // click a drawn node (its position from vis-network), then grow the view around it
  const clicked = await page.evaluate(() => {
    const box = document.querySelector(".graphkit-explorer .graphkit-graph");
    const net = box.__net;
    const ids = net.body.data.nodes.getIds();
    const id = ids.find((i) => !String(i).startsWith("folded")) ;
    const p = net.canvasToDOM(net.getPosition(ids[ids.length - 1]));
    const r = box.getBoundingClientRect();
    return { id: ids[ids.length - 1], x: r.left + p.x, y: r.top + p.y, any: id };
  });
  await page.mouse.click(clicked.x, clicked.y);
  steps.push(`clicked node: ${await waitStatus(ex, /已选|已展开/)}`);
  await ex.getByRole("button", { name: /路径$/ }).click();
  steps.push(`path: ${await waitStatus(ex, /共 \d+ 跳/)}`);
  result.drive.path_png = await shot(page, "explorer_path", ex);
  await ex.locator(".graphkit-case input").fill(d.case || "苏纪2024-017"); // a case file needs a case number
  await ex.getByRole("button", { name: /导出$/ }).click();
  // (a button named by a pattern: its accessible name opens with its icon's glyph)
  // ipywidgets holds a text field's new value back while the kernel still acknowledges earlier messages (the
  // path's drawing), and a button's click is not held: the click can reach the kernel before the case number
  // does, as it can for a person who types and clicks at once. Such a person clicks again; so does the drive,
  // and says so.
  let exported = await waitStatus(ex, /已写出|须有案卷号/);
  if (!/已写出/.test(exported)) {
    steps.push(`export: the click came before the case number (${exported}); clicked again`);
    await sleep(1000);
    await ex.getByRole("button", { name: /导出$/ }).click();
    exported = await waitStatus(ex, /已写出/);
  }
  steps.push(`export: ${exported}`);
  // the other tabs
  const tabs = wb.locator(".lm-TabBar-tab, .p-TabBar-tab");
  await tabs.nth(1).click();
  const wa = wb.locator(".graphkit-warnings");
  await wa.waitFor({ state: "visible" });
  // the list is a ListBox (each warning whole, wrapped): a click on its first entry picks it
  const first = wa.locator(".graphkit-warnings-table .graphkit-listbox-item").first();
  await first.waitFor({ state: "visible" });
  await first.click();
  steps.push(`warning: ${await waitStatus(wa, /已画出证据/)}`);
  await sleep(500);
  result.drive.warnings_png = await shot(page, "tab_warnings", wa);
  await tabs.nth(2).click();
  const co = wb.locator(".graphkit-collusion");
  await co.waitFor({ state: "visible" });
  await co.getByRole("button", { name: /评分$/ }).click();
  steps.push(`collusion: ${await waitStatus(co, /社区 #|两家及以上企业的社区/, 120000)}`);
  await sleep(800);
  result.drive.collusion_png = await shot(page, "tab_collusion", co);
  await tabs.nth(0).click();
  await sleep(300);
  result.drive.explorer_png = await shot(page, "tab_explorer", wb);
  result.drive.steps = steps;
}

// The Risk panel as an inspection team uses it: rank the units, pick the riskiest, read its factor bars against
// the peers, write its portrait and read it inline.
async function driveRisk(page, r) {
  const steps = (result.risk.steps = []);
  const rk = page.locator(".graphkit-risk").last();
  await rk.scrollIntoViewIfNeeded();
  await rk.getByRole("button", { name: /排名$/ }).click();
  steps.push(`rank: ${await waitStatus(rk, /列出风险最高的/, r.timeout || 180000)}`);
  const select = rk.locator(".graphkit-risk-table select");
  const options = await select.locator("option").allInnerTexts();
  if (options.length < 2) throw new Error(`ranked list: ${options.join(" | ")}`);
  // the second, then the top one: the bars follow the pick (the bold name over the bars is the picked row's)
  const shownName = () =>
    rk.evaluate((el) => {
      const t = el.querySelector(".graphkit-factors");
      return t ? t.parentElement.querySelector("b")?.textContent || "" : null;
    });
  for (const index of [1, 0]) {
    await select.selectOption({ index });
    let name = null;
    for (let i = 0; i < 150; i++) {
      name = await shownName();
      if (name && options[index].includes(name)) break;
      await sleep(200);
    }
    if (!name || !options[index].includes(name))
      throw new Error(`picked ${options[index]}, the bars are of ${JSON.stringify(name)}`);
    steps.push(`picked ${index + 1} of ${options.length}: ${options[index].trim()}`);
  }
  result.risk.factors = await rk.evaluate((el) =>
    [...el.querySelectorAll(".graphkit-factors tbody tr")].map((tr) => ({
      text: tr.cells[0].innerText,
      bar_px: [...tr.cells[1].querySelectorAll("div")].map((d) => d.getBoundingClientRect().width),
      against: tr.cells[2].innerText,
    })),
  );
  await rk.getByRole("button", { name: /预画像$/ }).click();
  steps.push(`portrait: ${await waitStatus(rk, /已写入/, r.timeout || 180000)}`);
  const frame = await (await rk.locator("iframe").last().elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.body && document.body.innerText.length > 200, null, { timeout: 30000 });
  const inside = await frame.evaluate(async () => {
    await document.fonts.ready;
    const cjk = [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family);
    return { text: document.body.innerText, fonts: cjk, title: document.title };
  });
  result.risk.portrait = { chars: inside.text.length, fonts: inside.fonts, title: inside.title };
  result.risk.text = (await rk.innerText()) + "\n" + inside.text;
  // a taller window for the picture, so the list, the bars and the portrait's first page fit in the notebook
  await page.setViewportSize({ width: 1400, height: 1500 });
  await sleep(800);
  await rk.scrollIntoViewIfNeeded();
  await frame.evaluate(() => window.scrollTo(0, 0));
  await sleep(500);
  result.risk.png = await shot(page, "tab_risk", rk);
  await page.setViewportSize({ width: 1400, height: 1000 });
}

// Each tab of the last workbench: its title, whether it shows something (a graph, a list with options or a
// frame) and the boxes in it that scroll sideways (a list's own long options aside: a SELECT scrolls its text).
async function layout(page, l) {
  const tabs = [];
  const wb = page.locator(".graphkit-workbench").last();
  await wb.scrollIntoViewIfNeeded();
  const bar = wb.locator(".lm-TabBar-tab");
  for (let i = 0; i < (await bar.count()); i++) {
    await bar.nth(i).click();
    await sleep(1000);
    const got = await wb.evaluate((root) => {
      const panel = [...root.querySelectorAll(".lm-TabPanel-stackedpanel, .widget-tab-contents > *")].find((p) => p.offsetParent !== null && !p.classList.contains("lm-mod-hidden"));
      const scope = panel || root;
      const overflow = [];
      for (const el of new Set([root, scope, ...scope.querySelectorAll("*")])) {
        if (el.tagName === "SELECT" || el.offsetParent === null) continue;
        const ox = getComputedStyle(el).overflowX;
        if ((ox === "auto" || ox === "scroll") && el.scrollWidth > el.clientWidth + 1)
          overflow.push(`${el.tagName.toLowerCase()}.${[...el.classList].filter((c) => c.startsWith("graphkit") || c.startsWith("widget-")).join(".")} ${el.scrollWidth}>${el.clientWidth}`);
      }
      const shown = !!scope.querySelector(".graphkit-graph[data-nodes]:not([data-nodes='0']), select option, iframe");
      // a status line in red: an action of the notebook failed
      const errors = [...scope.querySelectorAll(".graphkit-status span")].filter((e) => e.style.color).map((e) => e.innerText);
      return { overflow, shown, errors };
    });
    got.title = (await bar.nth(i).innerText()).trim();
    got.screenshot = await shot(page, `layout_tab${i}`, wb);
    tabs.push(got);
  }
  return tabs;
}

async function settle(page, file) {
  // a pyvis page: the time from navigation until vis-network's physics has stabilised
  const t0 = Date.now();
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.waitForFunction(() => typeof network !== "undefined" && network.physics && (network.physics.stabilized || !network.physics.physicsEnabled), null, { timeout: 60000, polling: 50 });
  return (Date.now() - t0) / 1000;
}

try {
  // the notebooks named in "background" run in a second window (its own workspace) while the others run here
  const timeout = (cfg.cell_timeout || 240) * 1000;
  const background = [];
  for (const nb of cfg.background || []) {
    const bg = await context.newPage();
    watch(bg, `lab ${path.basename(nb)}`);
    const t0 = Date.now();
    await openNotebook(bg, nb, `bg${background.length}`);
    const opened = Date.now();
    // settled, never rejected, so a failure waits for its turn to be reported
    const run = runAll(bg, timeout).then((seconds) => ({ seconds }), (error) => ({ error }));
    background.push({ nb, page: bg, run, open_seconds: (opened - t0) / 1000 });
  }
  const page = await context.newPage();
  watch(page, "lab");
  for (const nb of (cfg.notebooks || []).filter((n) => !(cfg.background || []).includes(n))) {
    const t0 = Date.now();
    await openNotebook(page, nb);
    const seconds = await runAll(page, timeout);
    const got = await check(page, nb);
    got.run_seconds = seconds;
    got.open_seconds = (Date.now() - t0) / 1000 - seconds;
    got.screenshot = await shot(page, path.basename(nb, ".ipynb"));
    if (cfg.risk && cfg.risk.notebook === nb) {
      try {
        await driveRisk(page, cfg.risk);
      } catch (e) {
        result.risk.error = String(e);
        result.risk.error_png = await shot(page, "risk_error");
      }
    }
    if (cfg.drive && cfg.drive.notebook === nb) {
      try {
        await drive(page, cfg.drive);
      } catch (e) {
        result.drive.error = String(e);
        result.drive.error_png = await shot(page, "drive_error");
      }
    }
    result.notebooks[nb] = got;
  }
  for (const b of background) {
    const { seconds, error } = await b.run;
    if (error) throw error;
    await b.page.bringToFront();
    const got = await check(b.page, b.nb);
    got.run_seconds = seconds;
    got.open_seconds = b.open_seconds;
    got.background = true;
    got.screenshot = await shot(b.page, path.basename(b.nb, ".ipynb"));
    result.notebooks[b.nb] = got;
  }
  result.seconds = (Date.now() - started) / 1000;
  for (const p of cfg.pages || []) {
    const pg = await context.newPage();
    watch(pg, p.name);
    result.pages[p.name] = { settle_seconds: await settle(pg, p.file) };
    result.pages[p.name].screenshot = await shot(pg, `page_${p.name}`);
    await pg.close();
  }
  if (cfg.layout) {
    try {
      await openNotebook(page, cfg.layout.notebook);
      result.layout.run_seconds = await runAll(page, 180000);
      result.layout.tabs = await layout(page, cfg.layout);
    } catch (e) {
      result.layout.error = String(e);
      result.layout.error_png = await shot(page, "layout_error");
    }
  }
  if (cfg.bench) {
    const t0 = Date.now();
    await openNotebook(page, cfg.bench.notebook);
    await runAll(page, 600000);
    const failed = await page.locator(".jp-Notebook [data-mime-type='application/vnd.jupyter.error']").count();
    if (failed) throw new Error(await page.locator(".jp-Notebook [data-mime-type='application/vnd.jupyter.error']").first().innerText());
    const box = page.locator(".graphkit-graph").last();
    await page.waitForFunction(() => Number([...document.querySelectorAll(".graphkit-graph")].pop()?.dataset.nodes || 0) > 0, null, { timeout: 60000 });
    result.bench.python = JSON.parse(await page.locator(".jp-OutputArea-output").first().innerText());
    result.bench.nodes = await graphNodes(page);
    result.bench.drawn_ms = Number(await box.getAttribute("data-drawn-ms"));
    // a click on a node, answered by the kernel through the widget (its status line names the pick)
    await box.scrollIntoViewIfNeeded();
    await sleep(300);
    // a node drawn inside the visible part of the view
    const target = await page.evaluate(() => {
      const b = [...document.querySelectorAll(".graphkit-graph")].pop();
      const net = b.__net;
      const r = b.getBoundingClientRect();
      for (const id of net.body.data.nodes.getIds()) {
        const p = net.canvasToDOM(net.getPosition(id));
        const x = r.left + p.x, y = r.top + p.y;
        if (x > r.left + 20 && x < r.right - 20 && y > Math.max(r.top, 0) + 20 && y < Math.min(r.bottom, window.innerHeight) - 20)
          return { id, x, y };
      }
      return null;
    });
    if (!target) throw new Error("no node drawn inside the visible view");
    const c0 = Date.now();
    await page.mouse.click(target.x, target.y);
    // the node under the pointer is picked (a neighbour drawn on top of the aimed one may be the one hit)
    await page.waitForFunction(() => [...document.querySelectorAll(".graphkit-graph")].pop().dataset.picked, null, { timeout: 10000 });
    result.bench.click_to_pick_ms = Date.now() - c0;
    result.bench.picked = await box.getAttribute("data-picked");
    result.bench.aimed = String(target.id);
    await waitStatus(page.locator(".jp-Notebook"), /picked/, 10000);
    result.bench.click_to_kernel_ms = Date.now() - c0;
    result.bench.total_seconds = (Date.now() - t0) / 1000;
    result.bench.screenshot = await shot(page, "bench_2000");
  }
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
  for (const pg of context.pages()) await shot(pg, `failure_${context.pages().indexOf(pg)}`).catch(() => null);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result, null, 1));
