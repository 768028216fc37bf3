#!/usr/bin/env python3
"""The rendered book in a real browser: Debian's headless Chromium loads pages from disk with
the network unavailable (inside `unshare -n` when the kernel allows it), and this script checks
what the browser made of them and takes screenshots.

Usage: check-site.py SITE_DIR SCREENSHOT_DIR CHAPTER...

For the index and every CHAPTER page it checks, on Chromium's --dump-dom:
  - typeset math (KaTeX's markup) and no raw $$ or $…$ TeX left in the visible text;
  - at least one training curve (svg.curve with points) on chapter pages that have experiments;
  - the search box finds a chapter's heading (through the site's own search.js and index);
  - no request to any remote host, from Chromium's network log (a control page that does load
    a remote stylesheet must be caught, or the check itself is broken);
and writes screenshots at phone and desktop widths, in light and dark mode.
Prints one line per check and ends with "site check: N passed, M failed"; exits 1 on a failure.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-features=SpellCheck,Translate,MediaRouter,OptimizationHints",
         "--virtual-time-budget=4000"]
SIZES = {"desktop": (1280, 2200), "phone": (390, 1700)}


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check-site: no chromium on PATH (Debian: apt-get install chromium; scripts/install-deps does)")


def offline_prefix():
    """`unshare -n`, when it works here: the browser then has no network at all."""
    try:
        subprocess.run(["unshare", "-n", "true"], check=True, capture_output=True)
        return ["unshare", "-n"]
    except (OSError, subprocess.CalledProcessError):
        return []


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print(f"  ok    {what}")
        else:
            self.failed += 1
            print(f"  FAIL  {what}")


def run_browser(chromium, prefix, extra, url, netlog):
    command = prefix + [chromium] + FLAGS + [f"--log-net-log={netlog}"] + extra + [url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.stdout


def remote_requests(netlog):
    """http(s) requests made on behalf of a file:// page (browser-internal ones, such as its
    updater, have no page behind them and are left out)."""
    with open(netlog, encoding="utf-8") as handle:
        log = json.load(handle)
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    found = []
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params \
                and params["url"].startswith(("http:", "https:", "ws:", "wss:")) \
                and "file://" in params.get("network_isolation_key", ""):
            found.append(params["url"])
    return found


class Page(html.parser.HTMLParser):
    """What a dumped DOM holds: KaTeX elements, curves and their points, and the visible text."""
    HIDDEN = {"code", "pre", "script", "style", "annotation", "math", "title"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.katex = 0
        self.curves = 0
        self.points = 0
        self.visible = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag not in ("br", "img", "meta", "link", "input", "hr", "path", "line", "rect", "circle"):
            self.stack.append(tag)
        if "katex" in classes:
            self.katex += 1
        if tag == "svg" and "curve" in classes:
            self.curves += 1
        if tag == "circle" and "pt" in classes:
            self.points += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not any(tag in self.HIDDEN for tag in self.stack) and "katex-mathml" not in self.stack:
            self.visible.append(data)


def parse(dom):
    page = Page()
    page.feed(dom)
    return page


class Links(html.parser.HTMLParser):
    """The links inside the search results list."""
    def __init__(self):
        super().__init__()
        self.inside = False
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id") == "search-results":
            self.inside = True
        elif self.inside and tag == "a":
            self.links.append(attributes.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "ol":
            self.inside = False


def search_check(chromium, prefix, site, scratch, results):
    """Types a query into the search box of a page placed beside the site's pages."""
    page = os.path.join(site, ".search-check.html")
    with open(page, "w", encoding="utf-8") as handle:
        handle.write('<!DOCTYPE html><html><head><script src="assets/search.js" defer="defer"></script></head><body>'
                     '<input id="search" type="search"/><ol id="search-results" hidden="hidden"></ol>'
                     '<script>window.addEventListener("load", function () { var box = document.getElementById("search");'
                     ' box.value = "reset gate"; box.dispatchEvent(new Event("input")); });</script></body></html>')
    try:
        parser = Links()
        parser.feed(run_browser(chromium, prefix, ["--dump-dom"], "file://" + page, os.path.join(scratch, "search.json")))
    finally:
        os.remove(page)
    print("search")
    results.check(any(link.startswith("12-gru.html#") for link in parser.links),
                  f"searching 'reset gate' finds the GRU chapter ({len(parser.links)} results: {parser.links[:3]})")


def main(arguments):
    if len(arguments) < 3:
        sys.exit(__doc__)
    site, shots, chapters = os.path.abspath(arguments[0]), os.path.abspath(arguments[1]), arguments[2:]
    os.makedirs(shots, exist_ok=True)
    chromium, prefix = browser(), offline_prefix()
    results = Results()
    scratch = tempfile.mkdtemp(prefix="check-site-")
    print(f"check-site: {chromium}, network {'removed (unshare -n)' if prefix else 'present (no unshare): relying on the net log'}")

    # The network check must be able to fail: a page that loads a remote stylesheet is caught.
    control = os.path.join(scratch, "control.html")
    with open(control, "w", encoding="utf-8") as handle:
        handle.write('<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.invalid/x.css"/></head><body>x</body></html>')
    netlog = os.path.join(scratch, "control.json")
    run_browser(chromium, prefix, ["--dump-dom"], "file://" + control, netlog)
    results.check(remote_requests(netlog) == ["https://cdn.invalid/x.css"], "the net-log check catches a page that loads a remote file")

    search_check(chromium, prefix, site, scratch, results)

    for name in ["index"] + chapters:
        path = os.path.join(site, name + ".html")
        print(f"{name}.html")
        if not os.path.exists(path):
            results.check(False, f"{path} exists")
            continue
        netlog = os.path.join(scratch, name + ".json")
        page = parse(run_browser(chromium, prefix, ["--dump-dom"], "file://" + path, netlog))
        remote = remote_requests(netlog)
        results.check(not remote, "no request to a remote host" + (f" (asked for {remote[:3]})" if remote else ""))
        text = " ".join(page.visible)
        results.check("$$" not in text, "no raw $$ in the visible text")
        leftover = re.findall(r"\$[^$\s][^$]{0,40}\\[a-zA-Z]+[^$]*\$", text)
        results.check(not leftover, "no raw $…$ TeX in the visible text" + (f" ({leftover[:2]})" if leftover else ""))
        if name != "index":
            results.check(page.katex > 0, f"typeset math: {page.katex} KaTeX elements")
            results.check(page.curves > 0 and page.points > 0, f"training curves: {page.curves} svg.curve, {page.points} points")
        for size, (width, height) in SIZES.items():
            for scheme in ("light", "dark"):
                shot = os.path.join(shots, f"{name}-{size}-{scheme}.png")
                extra = [f"--window-size={width},{height}", f"--screenshot={shot}"] + (["--force-dark-mode"] if scheme == "dark" else [])
                run_browser(chromium, prefix, extra, "file://" + path, os.path.join(scratch, "shot.json"))
                results.check(os.path.exists(shot) and os.path.getsize(shot) > 10_000, f"screenshot {os.path.relpath(shot)}")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"site check: {results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
