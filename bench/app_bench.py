"""Dashboard rerun time with 100k events (issue #4: a filter change reruns in <= 0.5 s of Python time).

    .venv/bin/python bench/app_bench.py [N]

Runs the real app headless (Streamlit's AppTest) on N synthetic events (default 100,000), then times reruns
after filter changes on the Map and Events pages. The first run includes loading and validating the file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from bench.synthetic import raw_events
    from geo import export
    from geo.validate import check

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # as the real server does once app.py calls st.navigation
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.parquet"
        export.write(check(*raw_events(n)).events, path)
        os.environ["CEM_EVENTS"] = str(path)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        t = time.perf_counter()
        at.run()
        print(f"{n:,} events: first run (load + validate + map) {time.perf_counter() - t:.2f} s")
        steps = [
            ("map page, weapon filter", lambda: at.multiselect(key="f_weapons").select("drone")),
            ("map page, actor filter", lambda: at.multiselect(key="f_actors").select("Kata'ib Hezbollah")),
            ("map page, text search", lambda: at.text_input(key="f_text").input("event 12")),
            ("map page, clear text", lambda: at.text_input(key="f_text").input("")),
            ("events page", lambda: at.switch_page("pages/events.py")),
            ("events page, weapon filter", lambda: at.multiselect(key="f_weapons").select("rocket")),
            ("trends page", lambda: at.switch_page("pages/trends.py")),
        ]
        for label, change in steps:
            change()
            t = time.perf_counter()
            at.run()
            assert not at.exception, at.exception
            print(f"  {label:<28} {time.perf_counter() - t:6.2f} s   {at.text[0].value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
