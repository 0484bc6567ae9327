"""Pictures of Presscut's pages for the README, taken in Debian's headless Chromium.

    python docs/screenshots.py        # writes docs/img/*.png from the seed corpus

It indexes ``corpus/`` into a temporary folder, serves it, and photographs each page
at desktop width (and the results page at phone width too).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from core.settings import Settings
from indexer import build
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
PAGES = {
    "results": "/?q=CSTO",
    "timeline": "/?q=Tokayev",
    "speaker": "/speaker/Ali%20Karimli",
    "entity": "/entity/Kazakhstan",
    "story": "/story?q=Kazakhstan",
    "batch": None,  # filled in by a form
    "status": "/status",
}


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args) -> None:  # the pictures are the output, not the requests
        pass


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "index"
        build.index_corpus(ROOT / "corpus", index)
        app = create_app(Settings.defaults(index=index, corpus=ROOT / "corpus",
                                           collections=str(Path(folder) / "c.sqlite3")))
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, path in PAGES.items():
                if path is None:
                    page.goto(base + "/batch")
                    page.fill("#queries", "Tokayev\nKerimli\nCSTO\nPutin\nAliyev\nNazarbayev")
                    page.click("form.batch button[type=submit]")
                    page.wait_for_selector("table.batch")
                else:
                    page.goto(base + path)
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/img/{name}.png")
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(base + PAGES["results"])
            phone.screenshot(path=str(OUT / "results-phone.png"))
            print("docs/img/results-phone.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
