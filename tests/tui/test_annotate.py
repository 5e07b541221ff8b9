"""Pilot tests of annotating: select, tag, relabel, remove, note, undo/redo, sessions.

Each test drives the app with keys and then reads the store file itself (a fresh read-only
AnnotationStore), so what is checked is what was saved, not what the screen believes.
"""

from __future__ import annotations

import re

import pytest

from hamish.store import AnnotationStore, Corpus, load_corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.labels import parse_labels
from hamish.tui.screens.dialogs import ChoiceDialog, ChooseAnnotation, EditNote
from hamish.tui.screens.library import LibraryScreen
from hamish.tui.screens.reader import ReaderScreen

SIZE = (100, 40)
RTL = "قال الوزير إن الحكومة ستجتمع غدا لبحث الأزمة"
LTR = "the minister said the cabinet meets tomorrow"


def words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def make_app(tmp_path, *texts: str, **kwargs) -> HamishApp:
    paths = []
    for n, text in enumerate(texts):
        path = tmp_path / f"{chr(ord('a') + n)}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(load_file(path))
    kwargs.setdefault("annotator", "tester")
    return HamishApp(Corpus(paths), db_path=str(tmp_path / "db.json"), open_first=True, **kwargs)


def saved(tmp_path, doc: str = "a") -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of what the store file holds for ``doc``."""
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        return [(a.start, a.end, a.label, a.text) for a in db.annotations(doc)]


async def reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


# --- selecting -----------------------------------------------------------------------------


async def test_shift_left_extends_forward_in_rtl_and_a_label_key_tags_the_selection(tmp_path):
    app = make_app(tmp_path, RTL)
    w = words(RTL)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        assert view.cursor == w[0]
        await pilot.press("shift+left", "shift+left")
        assert view.selection == (w[0][0], w[2][1])  # forward in reading order: the next words
        await pilot.press("shift+right")  # shrinks back by one word
        assert view.selection == (w[0][0], w[1][1])
        await pilot.press("1")
        assert view.selection is None  # used up by the tag
    assert saved(tmp_path) == [(w[0][0], w[1][1], "claim", RTL[w[0][0] : w[1][1]])]


async def test_shift_right_extends_forward_in_ltr_and_backward_past_the_anchor(tmp_path):
    app = make_app(tmp_path, LTR)
    w = words(LTR)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("right", "right", "right")  # cursor on "the" (4th word)
        assert view.cursor == w[3]
        await pilot.press("shift+right", "shift+right")
        assert view.selection == (w[3][0], w[5][1])
        await pilot.press("shift+left", "shift+left", "shift+left")  # back past the anchor
        assert view.selection == (w[2][0], w[3][1])
        await pilot.press("2")
    assert saved(tmp_path) == [(w[2][0], w[3][1], "agreement", "said the")]


async def test_shift_down_extends_by_a_screen_line(tmp_path):
    text = " ".join([RTL] * 6)  # several screen lines
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        assert view.doc.line_count >= 3
        await pilot.press("shift+down")
        start, end = view.selection
        second = view.doc.line(1)
        assert start == 0 and second.start < end <= second.end  # ends on the second screen line
        assert view.cursor[1] == end


async def test_escape_clears_the_selection_then_goes_back_to_the_library(tmp_path):
    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("shift+left")
        assert view.selection is not None
        await pilot.press("escape")
        assert view.selection is None and isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_plain_moves_drop_the_selection(tmp_path):
    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("shift+left", "left")
        assert view.selection is None and view.cursor == words(RTL)[2]


async def test_s_selects_the_sentence_around_the_cursor(tmp_path):
    text = "جملة أولى هنا. جملة «ثانية طويلة؟» ثالثة بلا نهاية\nفقرة أخرى"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("left", "left", "left", "left")  # «ثانية
        await pilot.press("s")
        s, e = view.selection
        assert text[s:e] == "جملة «ثانية طويلة؟»"
        await pilot.press("left", "left", "s")  # ثالثة: the sentence runs to the paragraph end
        s, e = view.selection
        assert text[s:e] == "ثالثة بلا نهاية"


async def test_alt_shift_moves_the_moving_end_by_a_character_and_o_swaps_ends(tmp_path):
    text = "وكان الرئيس قد قال"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("shift+left", "shift+left", "shift+left")  # وكان … قال
        assert view.selection == (0, len(text))
        await pilot.press("o")  # the start (و) moves now
        await pilot.press("alt+shift+left")  # in RTL text ← goes forward: the start moves past و
        assert text[slice(*view.selection)] == "كان الرئيس قد قال"
        await pilot.press("o", "alt+shift+right", "alt+shift+right")  # the end moves back 2
        assert text[slice(*view.selection)] == "كان الرئيس قد ق"
        await pilot.press("3")
    assert saved(tmp_path) == [(1, len(text) - 2, "quote", "كان الرئيس قد ق")]


async def test_alt_shift_on_one_word_cuts_off_the_article(tmp_path):
    text = "الحكومة"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("o", "alt+shift+left", "alt+shift+left", "1")
    assert saved(tmp_path) == [(2, len(text), "claim", "حكومة")]


async def test_selection_across_an_ltr_run_is_drawn_on_the_cells_of_its_characters(tmp_path):
    text = "قال John Smith اليوم"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("shift+left", "shift+left")  # on screen: Smith, then John
        # قال John: visually discontiguous (Smith sits between John and قال)
        assert text[slice(*view.selection)] == "قال John"
        selected_bg = view.get_component_rich_style("article-view--selection").bgcolor
        line = view.doc.line(0)
        strip = view.render_line(0)
        cells = []  # (character shown, selected?) per cell, left to right
        for seg in strip:
            for ch in seg.text:
                cells.append((ch, seg.style is not None and seg.style.bgcolor == selected_bg))
        from hamish.tui.widgets.article_view import GUTTER

        for glyph, index, col in zip(line.glyphs, line.logical, line.columns):
            inside = view.selection[0] <= index < view.selection[1]
            assert cells[GUTTER + col][1] == inside, (glyph, index)
        # and the selected cells are not one block: Smith (not selected) sits between them
        flags = [sel for _, sel in cells]
        runs = sum(1 for a, b in zip(flags, flags[1:]) if a != b)
        assert runs >= 3


# --- tagging, relabel, remove, note --------------------------------------------------------


@pytest.mark.parametrize("text, forward", [(RTL, "left"), (LTR, "right")], ids=["rtl", "ltr"])
async def test_label_key_without_selection_tags_the_cursor_word_and_relabels_an_exact_span(tmp_path, text, forward):
    app = make_app(tmp_path, text)
    w = words(text)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press(forward, "1")
        assert saved(tmp_path) == [(*w[1], "claim", text[slice(*w[1])])]
        await pilot.press("3")  # same exact span: relabel, not a second annotation
        assert saved(tmp_path) == [(*w[1], "quote", text[slice(*w[1])])]
        await pilot.press(f"shift+{forward}", "1")  # a longer span over it: a new, nested annotation
        both = (w[1][0], w[2][1])
        assert sorted(saved(tmp_path)) == sorted([(*w[1], "quote", text[slice(*w[1])]), (*both, "claim", text[slice(*both)])])
        await pilot.press("u", "u")  # undo the add, then the relabel
        await pilot.pause()
        assert saved(tmp_path) == [(*w[1], "claim", text[slice(*w[1])])]
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert saved(tmp_path) == [(*w[1], "quote", text[slice(*w[1])])]


async def test_overlapping_spans_all_stay_visible(tmp_path):
    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("shift+left", "shift+left", "shift+left", "3")  # quote: 4 words
        await pilot.press("home", "left", "1")  # claim: word 2, inside the quote
        await pilot.pause()
        line = view.doc.line(0)
        strip = view.render_line(0)
        styles = []
        for seg in strip:
            styles += [seg.style] * len(seg.text)
        from hamish.tui.widgets.article_view import GUTTER

        claim, quote = app.labels[0], app.labels[2]
        w = words(RTL)
        for index, col in zip(line.logical, line.columns):
            style = styles[GUTTER + col]
            if w[1][0] <= index < w[1][1]:  # in both: claim background (inner), underlined
                assert style.bgcolor.name.lower() == claim.color and style.underline
            elif w[0][0] <= index < w[3][1] and not RTL[index].isspace():
                assert style.bgcolor.name.lower() == quote.color and not style.underline
        gutter = "".join(seg.text for seg in strip)[:GUTTER]
        assert gutter.count("▌") == 2  # one mark per label on the line


@pytest.mark.parametrize("text, forward", [(RTL, "left"), (LTR, "right")], ids=["rtl", "ltr"])
async def test_d_removes_and_asks_which_when_several(tmp_path, text, forward):
    app = make_app(tmp_path, text)
    w = words(text)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press(f"shift+{forward}", "1", "home", "2")  # claim over 2 words, agreement on 1
        assert len(saved(tmp_path)) == 2
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChooseAnnotation)
        labels = [a.label for a in app.screen.annotations]
        await pilot.press(str(labels.index("claim") + 1))
        await pilot.pause()
        assert saved(tmp_path) == [(*w[0], "agreement", text[slice(*w[0])])]
        await pilot.press("delete")  # one left under the cursor: removed without asking
        await pilot.pause()
        assert saved(tmp_path) == []


async def test_m_edits_the_note_of_the_annotation_under_the_cursor(tmp_path):
    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("3", "m")
        await pilot.pause()
        assert isinstance(app.screen, EditNote)
        await pilot.press(*"the minister", "enter")
        await pilot.pause()
        with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
            assert [a.note for a in db.annotations("a")] == ["the minister"]
        await pilot.pause()
        panel = "\n".join(line.plain for line in screen.query_one("#reader-annotations").lines)
        assert "quote" in panel and "tester" in panel and "the minister" in panel


async def test_tab_and_shift_tab_go_from_annotation_to_annotation(tmp_path):
    app = make_app(tmp_path, RTL)
    w = words(RTL)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        await pilot.press("left", "1", "left", "left", "left", "2", "end", "3")
        await pilot.press("home")
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(view.cursor)
        assert seen == [w[1], w[4], w[-1], w[1]]  # in text order, wrapping
        await pilot.press("shift+tab")
        assert view.cursor == w[-1]


# --- undo / redo ---------------------------------------------------------------------------


async def test_undo_and_redo_add_relabel_note_remove(tmp_path):
    app = make_app(tmp_path, RTL)
    w = words(RTL)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1")  # add
        await pilot.press("2")  # relabel
        await pilot.press("m", *"note", "enter")  # note
        await pilot.pause()
        await pilot.press("d")  # remove
        await pilot.pause()
        assert saved(tmp_path) == []
        history = []
        for _ in range(4):
            await pilot.press("u")
            await pilot.pause()
            with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
                history.append([(a.label, a.note) for a in db.annotations("a")])
        assert history == [[("agreement", "note")], [("agreement", None)], [("claim", None)], []]
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
            assert [(a.label, a.note, a.start, a.end) for a in db.annotations("a")] == [("agreement", None, *w[0])]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert saved(tmp_path) == [(*w[0], "claim", "قال")]


async def test_undo_reaches_back_into_another_article(tmp_path):
    app = make_app(tmp_path, RTL, LTR)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1", "right_square_bracket")
        screen = await reader(pilot)
        assert screen.article.id == "b"
        await pilot.press("u")
        await pilot.pause()
        assert saved(tmp_path, "a") == []
        assert app.screen.article.id == "a"  # shown where the undone change was


# --- sessions ------------------------------------------------------------------------------


async def test_annotator_and_times_are_stored(tmp_path):
    app = make_app(tmp_path, RTL, annotator="ليلى")
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1")
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        (a,) = db.annotations("a")
    assert a.annotator == "ليلى" and a.created == a.updated and a.created.startswith("20")


async def test_reader_reopens_at_the_last_cursor_in_a_new_session(tmp_path):
    text = " ".join([RTL] * 4)
    async with make_app(tmp_path, text).run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("down", "left", "left")
        where = pilot.app.screen.view.cursor
        assert where != words(text)[0]
    app = make_app(tmp_path, text)  # a new app on the same store: as if hamish were restarted
    async with app.run_test(size=SIZE) as pilot:
        assert (await reader(pilot)).view.cursor == where


async def test_library_shows_counts_and_done_and_jumps_to_the_next_new_article(tmp_path):
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text(f"عنوان {name}\n\n{RTL}", encoding="utf-8")
    app = HamishApp(load_corpus(tmp_path), db_path=str(tmp_path / "db.json"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # a
        await reader(pilot)
        await pilot.press("1", "shift+left", "3", "D", "escape")
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        from textual.widgets import DataTable

        table = library.query_one(DataTable)
        row = [str(c) for c in table.get_row("a")]
        assert row[3:6] == ["1", "0", "1"] and row[6] == "done"
        assert str(table.get_row("b")[6]) == "new"
        await pilot.press("a")  # the next article with no annotations: b
        assert (await reader(pilot)).article.id == "b"
        await pilot.press("a")
        assert (await reader(pilot)).article.id == "c"
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        assert db.article_state("a")["done"] is True


async def test_labels_file_sets_names_keys_and_colours(tmp_path):
    labels = parse_labels(
        {"label": [{"name": "source", "key": "x", "color": "red"}, {"name": "event", "key": "w"}]}
    )
    app = make_app(tmp_path, RTL, labels=labels)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1", "x", "left", "w")  # 1 is no label here
    w = words(RTL)
    assert saved(tmp_path) == [(*w[0], "source", "قال"), (*w[1], "event", "الوزير")]


async def test_a_store_held_by_another_process_opens_read_only_after_a_message(tmp_path):
    holder = AnnotationStore(tmp_path / "db.json")  # holds the write lock
    holder.add("a", 0, 3, "claim", text=RTL[:3], sha256="x" * 64)
    try:
        app = make_app(tmp_path, RTL)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            assert str(holder.lock_path.parent) in app.screen.body or "db.json" in app.screen.body
            await pilot.press("r")
            screen = await reader(pilot)
            assert len(screen.annotations) == 1  # the holder's annotation can be read
            await pilot.press("left", "2")
            await pilot.pause()
            assert app.readonly
    finally:
        holder.close()
    assert saved(tmp_path) == [(0, 3, "claim", RTL[:3])]  # nothing written by the read-only app


async def test_a_corrupt_store_stops_the_app_with_a_message_and_is_not_touched(tmp_path):
    db = tmp_path / "db.json"
    db.write_text('{"_default": {"1": ', encoding="utf-8")
    before = db.read_bytes()
    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert db.read_bytes() == before


# --- drift and export ----------------------------------------------------------------------


async def test_changed_file_moves_what_it_can_find_and_shows_the_rest_as_drifted(tmp_path):
    app = make_app(tmp_path, RTL)
    w = words(RTL)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("left", "1")  # الوزير
        await pilot.press("end", "3")  # الأزمة
    # The file changes: a word is added in front, and الأزمة is rewritten.
    new = "عاجل: " + RTL.replace("الأزمة", "القضية")
    (tmp_path / "a.txt").write_text(new, encoding="utf-8")
    app = make_app(tmp_path, new)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        placed = {a.label: screen.placed[a.id] for a in screen.annotations}
        assert new[placed["claim"][0] : placed["claim"][1]] == "الوزير" and not placed["claim"][2]
        assert placed["quote"][2]  # drifted: shown as such, not moved onto other words
        await pilot.press("home", "tab", "tab")  # Tab reaches the drifted one too
        panel = "\n".join(line.plain for line in screen.query_one("#reader-annotations").lines)
        assert "DRIFTED" in panel and "quote" in panel
    with AnnotationStore(tmp_path / "db.json", readonly=True) as db:
        stored = {a.label: a for a in db.annotations("a")}
    assert (stored["claim"].start, stored["claim"].end) == (new.index("الوزير"), new.index("الوزير") + 6)
    assert stored["claim"].sha256 == load_file(tmp_path / "a.txt").sha256  # the move was saved
    assert (stored["quote"].start, stored["quote"].end) == w[-1]  # left where it was


async def test_e_exports_the_corpus_beside_the_store_and_says_where(tmp_path):
    import json

    from hamish.tui.screens.export_choice import ChooseExport

    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1", "e")
        assert isinstance(app.screen, ChooseExport)  # the person chooses the format
        await pilot.press("enter")  # the first: hamish
        await app.workers.wait_for_complete()
        await pilot.pause()
        (out,) = (tmp_path / "exports").glob("hamish-export-*.jsonl")
        messages = [n.message for n in app._notifications]
        # the path is on lines of its own, broken after separators (never inside a name)
        assert any(str(out) in m.replace("\n", "") for m in messages), messages
        shown = next(m for m in messages if str(out) in m.replace("\n", ""))
        assert all(
            row.endswith(("/", "_", "-")) for row in shown.split("\n")[1:-1]
        ), shown
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "a" and [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(0, 3, "claim")]


async def test_e_then_a_number_exports_in_that_format_and_esc_cancels(tmp_path):
    import json

    from hamish.tui.screens.export_choice import EXPORT_CHOICES, ChooseExport

    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1", "e", "escape")
        assert not isinstance(app.screen, ChooseExport) and not (tmp_path / "exports").exists()
        doccano = [f for f, _ in EXPORT_CHOICES].index("doccano") + 1
        await pilot.press("e", str(doccano))
        await app.workers.wait_for_complete()
        await pilot.pause()
        (out,) = (tmp_path / "exports").glob("hamish-export-doccano-*.jsonl")
        # (the path is on lines of its own, broken after separators)
        messages = [n.message.replace("\n", "") for n in app._notifications]
        assert any(str(out) in m and "UTF-16" in m for m in messages)
        brat = [f for f, _ in EXPORT_CHOICES].index("brat") + 1
        await pilot.press("e", str(brat))
        await app.workers.wait_for_complete()
        await pilot.pause()
        (directory,) = (tmp_path / "exports").glob("hamish-export-brat-*")
        assert any(str(directory) in n.message.replace("\n", "") for n in app._notifications)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["offsets"] == "utf16" and record["label"] == [[0, 3, "claim"]]
    conf = (directory / "annotation.conf").read_text(encoding="utf-8")
    assert all(f"\n{name}\n" in conf for name in ("claim", "agreement", "quote"))  # every label


async def test_a_configured_export_format_skips_the_question(tmp_path, monkeypatch):
    from hamish.tui.app import ExportFormatError, check_export_format, create_app

    (tmp_path / "a.txt").write_text(RTL, encoding="utf-8")
    monkeypatch.setenv("HAMISH_EXPORT_FORMAT", "prodigy")
    app = create_app([str(tmp_path / "a.txt")], db_path=str(tmp_path / "db.json"), annotator="t")
    assert app.export_format == "prodigy"
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("1", "e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list((tmp_path / "exports").glob("hamish-export-prodigy-*.jsonl"))
    with pytest.raises(ExportFormatError, match="unknown export format 'docx'"):
        check_export_format("docx")
    monkeypatch.setenv("HAMISH_EXPORT_FORMAT", "docx")
    with pytest.raises(ExportFormatError):
        create_app([str(tmp_path / "a.txt")], db_path=str(tmp_path / "db.json"))


# --- bidi formatting characters ------------------------------------------------------------


async def test_b_shows_bidi_formatting_characters_as_marks_and_hides_them_again(tmp_path):
    from hamish.tui.bidi import FORMAT_MARKS

    # Trojan Source style: RLO … PDF makes "user" read as "resu" on screen.
    text = "access granted \u202eresu\u202c if admin"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        hidden = view.render_line(0).text
        # hidden: no control and no mark reaches the screen, and the override is honoured
        assert "\u202e" not in hidden and FORMAT_MARKS["\u202e"] not in hidden and "user" in hidden.split()
        await pilot.press("b")
        await pilot.pause()
        shown = view.render_line(0)
        cells = shown.text
        assert cells.count(FORMAT_MARKS["\u202e"]) == 1 and cells.count(FORMAT_MARKS["\u202c"]) == 1
        # the marks are styled apart from the text
        format_bg = view.get_component_rich_style("article-view--format").bgcolor
        marked = [seg.text for seg in shown if seg.style is not None and seg.style.bgcolor == format_bg]
        assert "".join(marked).count(FORMAT_MARKS["\u202e"]) == 1
        # the spoofed order is still what UAX #9 gives: the word stays reversed
        assert "user" in cells.replace(FORMAT_MARKS["\u202e"], " ").replace(FORMAT_MARKS["\u202c"], " ").split()
        await pilot.press("b")
        await pilot.pause()
        assert view.render_line(0).text == hidden


async def test_notifications_lay_out_arabic_like_everything_else(tmp_path):
    from hamish.tui.bidi import layout_text

    app = make_app(tmp_path, RTL)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("slash", *"غائب", "enter")  # no match: the toast quotes the search
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    visual = layout_text("غائب", 10, "ltr")[0].text.strip()
    assert any(visual in m for m in messages) and not any("غائب" in m for m in messages)


async def test_arabic_label_names_and_ids_are_laid_out_in_the_legend_and_library(tmp_path):
    from textual.widgets import DataTable

    from hamish.tui.widgets.bidi_label import visual_line

    labels = parse_labels({"label": [{"name": "ادعاء", "key": "1"}, {"name": "اقتباس", "key": "2"}]})
    (tmp_path / "مقال.txt").write_text(RTL, encoding="utf-8")
    app = HamishApp(load_corpus(tmp_path), db_path=str(tmp_path / "db.json"), labels=labels)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert str(table.get_row("مقال")[1]) == visual_line("مقال") != "مقال"
        await pilot.press("enter")
        screen = await reader(pilot)
        legend = str(screen.query_one("#reader-legend").render())
        assert visual_line("ادعاء") in legend and "ادعاء" not in legend
        await pilot.press("1")  # the panel names the label of the annotation under the cursor
        await pilot.pause()
        panel = "\n".join(line.plain for line in screen.query_one("#reader-annotations").lines)
        assert visual_line("ادعاء") in panel and "ادعاء" not in panel


@pytest.mark.parametrize("text", ["", "  \n\n \t "], ids=["empty", "blank"])
async def test_an_article_without_words_takes_every_key_calmly(tmp_path, text):
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        for key in ["1", "shift+left", "s", "o", "alt+shift+left", "2", "d", "m", "tab", "u", "b", "left", "end"]:
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any("no words" in n.message for n in app._notifications)
    assert saved(tmp_path) == []
