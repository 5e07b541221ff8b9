"""Issue 16 item 2, the app's side: quitting when the store cannot fold (a full disk, a
read-only or immutable directory) ends the app cleanly, says that the journal keeps every
change, loses nothing and leaves no temporary file. (Before: a StoreError traceback from
on_unmount -> store.close(), and a zero-byte annotations.json.tmp left behind.)"""

from __future__ import annotations

import errno
import os

from hamish.store import AnnotationStore, Corpus, load_file
from hamish.tui.app import HamishApp

TEXT = "قالَ الرئيسُ إنّ الاتفاقَ تاريخيٌّ اليوم وأضاف أنه سيُوقَّع غداً"


async def test_quit_on_a_full_disk_says_the_journal_keeps_the_changes(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    article = load_file(tmp_path / "a.txt")
    db = tmp_path / "db.json"
    app = HamishApp(Corpus([article]), db_path=str(db), open_first=True)
    real_open = os.open

    def no_new_files(path, *args, **kw):  # what a full disk or an immutable directory does
        if str(path).endswith(".tmp"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, *args, **kw)

    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        for word, key in (("قالَ", "1"), ("اليوم", "2"), ("غداً", "3")):  # three confirmed tags
            view.move_to_index(TEXT.index(word))
            await pilot.press(key)
            await pilot.pause()
        monkeypatch.setattr(os, "open", no_new_files)
        await pilot.press("ctrl+q")
        await pilot.pause()
    monkeypatch.undo()
    assert app.close_problem is not None
    assert "no change is lost" in app.close_problem and "journal" in app.close_problem
    assert not [p.name for p in tmp_path.rglob("*.tmp")]
    with AnnotationStore(db, readonly=True) as store:
        assert len(store.annotations(article.id)) == 3
