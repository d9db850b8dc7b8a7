"""Two Postwijs processes on one data folder: safe sharing (WAL, BEGIN IMMEDIATE), no corruption."""

import subprocess
import sys
import textwrap

from app.history import chain as history
from app.store import Store
from connectors.practice import read_timeline
from tests.conftest import ROOT

PUBLISHER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.publishing import outbox
    from app.compose.model import ComposerModel
    from app.site.config import load_site
    from app.store import Store
    from connectors.practice import PracticeConnector

    data_dir, name = Path(sys.argv[1]), sys.argv[2]
    site = load_site(None)
    store = Store.open(data_dir)
    for n in range(15):
        model = ComposerModel(site)
        model.set_text(f"Bericht {n} van {name}")
        job = outbox.submit(store, model.draft, model.variants())
        outbox.send(store, job, lambda aid: PracticeConnector(data_dir, aid), {})
    """
)


def test_two_processes_publishing_at_once_keep_every_post_once_and_the_chain_intact(data_dir):
    processes = [
        subprocess.Popen([sys.executable, "-c", PUBLISHER, str(data_dir), name], cwd=ROOT)
        for name in ("links", "rechts")
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    texts = sorted(post.text.split("\n\n")[0] for post in read_timeline(data_dir))
    expected = sorted(f"Bericht {n} van {name}" for n in range(15) for name in ("links", "rechts"))
    assert texts == expected
    store = Store.open(data_dir)
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = history.verify(store)
    assert result.intact and result.rows == 30
