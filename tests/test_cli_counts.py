"""`sijill counts`: JSON and text on real project files, sub-groups, types, ranges and refusals."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.sijill"
    with Project.create(path) as p:
        pmf = p.create_group("Popular Mobilization Forces", aliases=[("al-Hashd", "en")])
        kh = p.create_group("Kataib Hezbollah", parent=pmf.id)
        us = p.create_group("United States")
        p.create_event("e1", "2023-10-16", groups=[(kh.id, "actor")], event_type="Drone")
        p.create_event("e2", "2023-10-22", groups=[(kh.id, "actor"), (us.id, "target")], event_type="Drone")
        p.create_event("e3", "2023-10-23", groups=[(us.id, "actor")], event_type="Airstrike")
        p.create_event("e4", "mid-October 2023", groups=[(pmf.id, "actor")])
        p.create_event("e5", "October 2023", groups=[(kh.id, "associated")], event_type="Drone")
        p.create_event("e6", "2023-11-01")
    return path


def bins(capsys, *args):
    code, out, err = call(capsys, "counts", *args, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)["bins"]


def test_json_by_week_with_fuzzy_dates_uncertain(story, capsys):
    assert bins(capsys, story, "--by", "week") == [
        {"start": "2023-10-09", "end": "2023-10-15", "count": 1, "uncertain": 1},   # mid-October's midpoint
        {"start": "2023-10-16", "end": "2023-10-22", "count": 3, "uncertain": 1},   # "October 2023" among them
        {"start": "2023-10-23", "end": "2023-10-29", "count": 1, "uncertain": 0},
        {"start": "2023-10-30", "end": "2023-11-05", "count": 1, "uncertain": 0},
    ]


def test_group_includes_sub_groups_any_role_and_type_and_range(story, capsys):
    by_month = bins(capsys, story, "--by", "month", "--group", "al-hashd")   # an alias, any case
    assert by_month == [{"start": "2023-10-01", "end": "2023-10-31", "count": 4, "uncertain": 0}]
    us = bins(capsys, story, "--by", "day", "--group", "United States", "--from", "2023-10-22", "--to", "2023-10-23")
    assert [(b["start"], b["count"]) for b in us] == [("2023-10-22", 1), ("2023-10-23", 1)]
    drones = bins(capsys, story, "--by", "month", "--type", "Drone", "--from", "2023-10", "--to", "2023-11")
    assert [b["count"] for b in drones] == [3, 0]


def test_text_table(story, capsys):
    code, out, err = call(capsys, "counts", story, "--by", "week")
    assert code == 0 and err == ""
    assert "2023-10-16 2023-10-22       3          1" in out
    assert out.strip().endswith("4 weeks, 6 events, 2 dated more coarsely than a week")


def test_demo_project_weekly_json(tmp_path, capsys):
    demo = tmp_path / "demo.sijill"
    assert call(capsys, "init", demo, "--demo")[0] == 0
    weeks = bins(capsys, demo, "--by", "week", "--from", "2023-10-01", "--to", "2024-02-29")
    assert weeks[0]["start"] == "2023-09-25" and weeks[-1]["end"] == "2024-03-03"
    assert all(b["start"] < b["end"] for b in weeks)
    from datetime import datetime, timezone

    from sijill.db.store.project import Project

    lo = datetime(2023, 9, 25, tzinfo=timezone.utc).timestamp()
    hi = datetime(2024, 3, 4, tzinfo=timezone.utc).timestamp()
    with Project.open(demo, read_only=True) as p:
        expected = sum(1 for e in p.events() if lo <= (e.start.lo_ts + e.start.hi_ts) / 2 < hi)
    assert sum(b["count"] for b in weeks) == expected > 10


@pytest.mark.parametrize("args, message", [
    (("--group", "Nobody"), "no group named 'Nobody'"),
    (("--type", "Riot"), "no event has the type 'Riot' (types: Airstrike, Drone)"),
    (("--from", "2024", "--to", "2023"), "--to (2023) is before --from (2024)"),
    (("--from", "the day after tomorrow's yesterday"), "sijill counts:"),
])
def test_refusals_are_one_line_and_exit_1(story, capsys, args, message):
    code, out, err = call(capsys, "counts", story, "--by", "week", *args)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_file_and_bad_unit(tmp_path, capsys):
    code, _out, err = call(capsys, "counts", tmp_path / "none.sijill", "--by", "week")
    assert code == 1 and "none.sijill" in err
    with pytest.raises(SystemExit) as exit_:           # argparse: usage on stderr, exit 2
        call(capsys, "counts", tmp_path / "none.sijill", "--by", "fortnight")
    assert exit_.value.code == 2 and "invalid choice: 'fortnight'" in capsys.readouterr().err


# ---- the chart in the HTML page and the report (sijill export --counts) -----------------------------
def test_html_page_and_report_carry_the_chart_inline_when_asked(story, tmp_path, capsys):
    page, report, md = tmp_path / "page.html", tmp_path / "report.html", tmp_path / "report.md"
    assert call(capsys, "export", story, page, "--format", "html", "--counts", "week")[0] == 0
    assert call(capsys, "export", story, report, "--format", "report", "--counts", "week")[0] == 0
    for path in (page, report):
        text = path.read_text(encoding="utf-8")
        figure = text[text.index('<figure class="counts">'):]
        figure = figure[:figure.index("</figure>")]
        assert "<title>week of 2023-10-16\n3 events, 1 dated more coarsely than a week" in figure
        assert 'fill="url(#hatch' in figure                      # the uncertain part hatched
        assert "http" not in figure.replace('xmlns="http://www.w3.org/2000/svg"', "")   # nothing loaded
    assert call(capsys, "export", story, md, "--format", "report", "--counts", "week")[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "## Events per week" in text
    assert ("| 2023-10-16 | 2023-10-22 | 3 | 1 | 3 | 1 | 0 |" in text)   # PMF (with KH), US, Ungrouped
    plain = tmp_path / "plain.html"
    assert call(capsys, "export", story, plain, "--format", "html")[0] == 0
    assert '<figure class="counts">' not in plain.read_text(encoding="utf-8")


def test_counts_auto_picks_the_finest_bins_that_fit_the_chart(story, tmp_path, capsys):
    md = tmp_path / "report.md"
    assert call(capsys, "export", story, md, "--format", "report", "--counts", "auto")[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "## Events per day" in text and "| 2023-10-16 | 2023-10-16 | 2 | 1 |" in text   # three weeks: days fit
    with Project.open(story) as p:
        p.create_event("a decade later", "2033-10-16")
    assert call(capsys, "export", story, md, "--format", "report", "--counts", "auto")[0] == 0
    assert "## Events per month" in md.read_text(encoding="utf-8")   # ten years: 120 months, the finest that fit


def test_counts_refused_where_no_chart_can_go(story, tmp_path, capsys):
    code, out, err = call(capsys, "export", story, tmp_path / "r.pdf", "--format", "report", "--counts", "week")
    assert code == 1 and "the counts chart goes in .html and .md reports" in err and not (tmp_path / "r.pdf").exists()
    code, out, err = call(capsys, "export", story, tmp_path / "e.csv", "--format", "csv", "--counts", "week")
    assert code == 1 and "--counts adds a chart to the html page or the report, not to --format csv" in err
