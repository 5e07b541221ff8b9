"""Pilot tests of issue 15 in the reader: the quotation key, suggestions (go, accept, accept as
another label or with changed boundaries, reject; all durable and undoable), editing an
annotation's boundaries, relabelling after Tab, the annotation list, Tab under bursts of events,
search that keeps a selection. Each checks what the store file holds afterwards."""

from __future__ import annotations

import re

from hamish.store import AnnotationStore, Corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.screens.annotation_list import AnnotationList
from hamish.tui.screens.reader import ReaderScreen
from hamish.tui.suggest import Suggesters
from hamish.tui.widgets.article_view import ArticleView

SIZE = (100, 40)
# two quotations (one with a name nested inside), a channel's name in marks, a long paragraph
TEXT = (
    "قال الوزير للصحفيين: “إن الحكومة لن تتراجع عن قرار «خطة الإصلاح» مهما كانت الضغوط "
    "التي تمارسها المعارضة في البرلمان وفي الشارع خلال الأسابيع المقبلة”، وأضاف أن "
    "«الحوار مع الجميع مستمر». وذكرت قناة «الجزيرة» أن الاجتماع انتهى."
)
Q1 = "إن الحكومة لن تتراجع عن قرار «خطة الإصلاح» مهما كانت الضغوط التي تمارسها المعارضة في البرلمان وفي الشارع خلال الأسابيع المقبلة"
Q2 = "الحوار مع الجميع مستمر"


def span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def make_app(tmp_path, text: str = TEXT, **kwargs) -> HamishApp:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    kwargs.setdefault("annotator", "tester")
    return HamishApp(
        Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True, **kwargs
    )


def saved(tmp_path) -> list[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        return [(a.start, a.end, a.label, a.origin) for a in db.annotations("a")]


def rejected(tmp_path) -> frozenset[str]:  # type: ignore[no-untyped-def]
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        return db.rejected("a")


async def reader(pilot) -> ReaderScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


def word_index(text: str, word: str) -> int:
    return next(m.start() for m in re.finditer(r"\S+", text) if word in m.group())


async def test_q_selects_the_quotation_in_one_key_and_inside_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        view.move_to_index(TEXT.index("الإصلاح"))  # inside the nested «خطة الإصلاح»
        await pilot.press("q")
        assert view.selection == span(TEXT, "خطة الإصلاح")
        await pilot.press("q")  # one level out: across screen lines, without the marks
        assert view.selection == span(TEXT, Q1)
        start, end = view.selection
        assert view.doc.locate(start)[0] != view.doc.locate(end - 1)[0]  # several lines
        await pilot.press("3")
    assert saved(tmp_path) == [(*span(TEXT, Q1), "quote", "manual")]


async def test_q_outside_a_quotation_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, "لا علامات هنا", suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert screen.view.selection is None
        assert any("not inside a quotation" in str(n.message) for n in app._notifications)


async def test_suggestions_are_drawn_apart_and_accepted_in_one_key_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        assert [s.text for s in screen.suggestions] == [Q1, Q2]  # not «الجزيرة», not the name
        view = screen.view
        # drawn: underlined, in the quote colour, no background (annotations have one)
        line = view.doc.line(0)
        strip = view.render_line(0)
        styles = [seg.style for seg in strip for _ in seg.text]
        from hamish.tui.widgets.article_view import GUTTER

        q1 = span(TEXT, Q1)
        inside = [
            styles[GUTTER + c]
            for i, c in zip(line.logical, line.columns, strict=True)
            if q1[0] <= i < q1[1] and not TEXT[i].isspace() and (i, i + 1) != view.cursor
        ]
        base = view.rich_style.bgcolor
        assert inside and all(s.underline and s.bgcolor == base for s in inside)
        assert {s.color.name.lower() for s in inside} == {app.labels[2].color}
        await pilot.press("f")
        assert view.selection == q1 and screen.focused_suggestion is not None
        await pilot.press("enter")  # accept, and on to the next
        await pilot.pause()
        assert view.selection == span(TEXT, Q2)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.suggestions == []
    assert saved(tmp_path) == [
        (*q1, "quote", "suggested:quotes"),
        (*span(TEXT, Q2), "quote", "suggested:quotes"),
    ]


async def test_accept_as_another_label_with_changed_boundaries_and_undo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("f", "f")  # the second suggestion
        view = screen.view
        assert view.selection == span(TEXT, Q2)
        await pilot.press("shift+right")  # one word fewer (right-to-left: → goes back)
        s, e = view.selection
        assert (s, e) == (span(TEXT, Q2)[0], span(TEXT, "الحوار مع الجميع")[1])
        await pilot.press("1")  # accept as a claim
        await pilot.pause()
        assert saved(tmp_path) == [(s, e, "claim", "suggested:quotes")]
        assert [x.text for x in screen.suggestions] == [Q1]  # the accepted one is gone
        await pilot.press("u")
        await pilot.pause()
        assert saved(tmp_path) == []
        assert [x.text for x in screen.suggestions] == [Q1, Q2]  # back after undo


async def test_reject_is_durable_undoable_and_stays_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("f", "d")
        await pilot.pause()
        assert [x.text for x in screen.suggestions] == [Q2]
        assert len(rejected(tmp_path)) == 1
        assert screen.view.selection == span(TEXT, Q2)  # on to the next
        await pilot.press("u")
        await pilot.pause()
        assert rejected(tmp_path) == frozenset() and len(screen.suggestions) == 2
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert len(rejected(tmp_path)) == 1
        assert saved(tmp_path) == []  # a rejection is no annotation
    app = make_app(tmp_path)  # another session: the rejected one does not come back
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        assert [x.text for x in screen.suggestions] == [Q2]


async def test_r_changes_an_annotations_boundaries_in_one_undoable_move(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        view.move_to_index(TEXT.index("الحوار"))
        await pilot.press("q", "3")
        await pilot.pause()
        ((s, e, _, _),) = saved(tmp_path)
        await pilot.press("r")
        assert view.selection == (s, e)
        await pilot.press("alt+shift+left")  # the end moves on by one character: the »
        await pilot.press("enter")
        await pilot.pause()
        ((s2, e2, label, _),) = saved(tmp_path)
        assert (s2, e2, label) == (s, e + 1, "quote")
        with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
            assert db.annotations("a")[0].text == TEXT[s : e + 1]
        await pilot.press("u")
        await pilot.pause()
        assert [(a, b) for a, b, *_ in saved(tmp_path)] == [(s, e)]
        await pilot.press("r", "shift+left", "escape")  # Esc cancels: nothing changes
        await pilot.pause()
        assert [(a, b) for a, b, *_ in saved(tmp_path)] == [(s, e)]


async def test_label_key_after_tab_relabels_instead_of_adding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        screen.view.move_to_index(TEXT.index("الحوار"))
        await pilot.press("q", "3", "home")
        await pilot.press("tab")
        await pilot.press("1")
        await pilot.pause()
        assert [(lbl) for *_, lbl, _ in saved(tmp_path)] == ["claim"]  # relabelled, not added
        assert len(saved(tmp_path)) == 1


async def test_tab_moves_whatever_events_arrive_between(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", TEXT)]
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        # five annotations, two of them starting on the same word (nested)
        for k in (0, 3, 6, 9):
            view.move_to_index(words[k][0])
            await pilot.press("shift+left", "1")
        view.move_to_index(words[9][0])
        await pilot.press("2")
        await pilot.pause()
        order = sorted(screen.annotations, key=lambda a: (a.start, a.end, a.id))
        assert len(order) == 5
        # a search lands on the first word of an annotation: Tab goes on to the next one
        view.move_to_index(words[3][0])
        await pilot.pause()
        await pilot.press("tab")
        assert screen.focused_annotation == order[2].id
        seen = []
        for _ in range(10):  # a burst, with stale cursor events in between
            view.post_message(ArticleView.CursorMoved(view, *words[0]))
            await pilot.press("tab")
            seen.append(screen.focused_annotation)
        ids = [a.id for a in order]
        start = ids.index(order[2].id)
        assert seen == [ids[(start + 1 + n) % 5] for n in range(10)]
        await pilot.pause()
        seen = []
        for _ in range(5):
            view.post_message(ArticleView.CursorMoved(view, *words[-1]))
            await pilot.press("shift+tab")
            seen.append(screen.focused_annotation)
        last = ids.index(screen.focused_annotation)
        assert seen == [ids[(last + 4 - n) % 5] for n in range(5)]


async def test_search_keeps_a_selection_and_n_extends_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        await pilot.press("shift+left")
        selection = view.selection
        await pilot.press("slash", *"وأضاف", "enter")
        await pilot.pause()
        assert view.selection == selection  # kept
        await pilot.press("n")
        assert view.selection == (0, span(TEXT, "وأضاف")[1])
        await pilot.press("1")
        await pilot.pause()
    assert saved(tmp_path) == [(0, span(TEXT, "وأضاف")[1], "claim", "manual")]


async def test_the_list_shows_every_annotation_and_enter_jumps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("f", "enter", "enter")  # two accepted suggestions
        screen.view.move_to_index(0)
        await pilot.press("shift+left", "1")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationList)
        rows = [
            str(app.screen.query_one("#annotation-list").get_option_at_index(i).prompt)
            for i in range(3)
        ]
        assert "manual" in rows[0] and "quotes" in rows[1] and "quotes" in rows[2]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is screen
        q2 = span(TEXT, Q2)
        assert screen.view.cursor == screen.view.word_near(q2[0])
        assert screen.focused_annotation is not None


async def test_the_list_fits_its_rows_again_after_a_resize(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Before: the list laid its rows out once, for the width it opened at; after a narrowing
    # resize they ran past the dialog's edge.
    from rich.cells import cell_len

    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        screen.view.move_to_index(word_index(TEXT, "الحكومة"))
        await pilot.press("shift+down", "1")  # a long span: its row fills the width
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationList)
        rows = app.screen.query_one("#annotation-list")

        def width() -> int:
            return cell_len(str(rows.get_option_at_index(0).prompt))

        wide = width()
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        assert width() <= 50 - 8 < wide


async def test_panel_scrolls_past_two(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, suggesters=Suggesters(quotes=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        await pilot.press("1")  # four annotations over the first word
        for n, label in enumerate(("2", "3", "1"), 1):
            await pilot.press("home", *["shift+left"] * n, label)
        view.move_to_index(0)
        await pilot.pause()
        from hamish.tui.screens.reader import AnnotationPanel

        panel = screen.query_one(AnnotationPanel)
        assert len(panel.lines) == 4
        first = str(panel.render())
        assert "1–2 of 4" in first
        await pilot.press("ctrl+down", "ctrl+down")
        assert "3–4 of 4" in str(panel.render())


async def test_q_in_a_quotation_without_a_closing_mark_selects_to_the_paragraph_end(
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    text = "وكتب أحد السكان: «نريد أن نعود إلى بيوتنا\n\nفقرة أخرى."
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        assert screen.suggestions == []  # never suggested
        screen.view.move_to_index(text.index("نعود"))
        await pilot.press("q")
        await pilot.pause()
        assert screen.view.selection == span(text, "نريد أن نعود إلى بيوتنا")
        assert any("no closing mark" in str(n.message) for n in app._notifications)


async def test_a_long_articles_suggestions_come_from_apart_and_keys_work_meanwhile(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Above SUGGEST_IN_PLACE characters the suggestions are found in a child process: the
    reader opens without them and takes keys; they then appear, the same as found in place,
    and are found once (a tag does not look for them again)."""
    import hamish.tui.workspace as workspace_module

    monkeypatch.setattr(workspace_module, "SUGGEST_IN_PLACE", 100)
    calls = []
    real = workspace_module.candidates_apart

    def counting(suggesters, text):  # type: ignore[no-untyped-def]
        calls.append(len(text))
        return real(suggesters, text)

    monkeypatch.setattr(workspace_module, "candidates_apart", counting)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("end")  # keys while they are looked for
        for _ in range(200):
            if screen.suggestions:
                break
            await pilot.pause(0.05)
        assert [s.text for s in screen.suggestions] == [Q1, Q2]
        assert screen.suggestions == Suggesters().suggest(TEXT)
        await pilot.press("f", "enter")  # accept the first: the second stays, nothing re-run
        await pilot.pause()
        assert [s.text for s in screen.suggestions] == [Q2]
    assert calls == [len(TEXT)]
    assert saved(tmp_path) == [(*span(TEXT, Q1), "quote", "suggested:quotes")]


async def test_suggestions_arriving_over_a_long_article_lay_out_nothing_more(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Suggestions all over a 400,000-character one-line article arrive while its first
    screen is shown: only the lines already laid out are forgotten and painted again; the
    rest is not laid out to find them (all of a 67 MB article was: 2.6 GB)."""
    import hamish.tui.workspace as workspace_module

    monkeypatch.setattr(workspace_module, "SUGGEST_IN_PLACE", 100)
    part = (
        "وقال الوزير للصحفيين: «إن الحكومة لن تتراجع عن قرارها مهما كانت الضغوط». " + "كلمة " * 60
    )
    text = part * (400_000 // len(part))
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        for _ in range(400):
            if screen.suggestions:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert len(screen.suggestions) == text.count("«")
        layout = screen.view.doc.layout
        assert len(layout.paragraphs) > 20
        assert sum(layout.has_lines(i) for i in range(len(layout.paragraphs))) <= 3
