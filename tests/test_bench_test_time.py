"""bench/test_time.py: the figure it prints for `make test` is the median of three full runs, set-up not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import test_time


def test_the_figure_is_the_median_of_three_full_runs(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    commands = []
    times = iter([5.0, 130.0, 110.0, 250.0])  # the set-up, then three runs of make test

    def fake_timed(command: list[str], **kwargs: object) -> float:
        commands.append(command)
        return next(times)

    monkeypatch.setattr(test_time, "timed", fake_timed)
    test_time.main([])
    assert commands == [["make", "setup"], ["make", "test"], ["make", "test"], ["make", "test"]]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines[1:4]] == [
        ["run", "1", "130.0"],
        ["run", "2", "110.0"],
        ["run", "3", "250.0"],
    ]
    assert lines[-1].split()[:3] == ["make", "test", "130.0"]  # the median of 130, 110, 250, not the mean (163.3)
    assert "median of 3" in lines[-1] and lines[-1].endswith("OVER")  # over the 120 s target
    assert "load average" in lines[0]  # whether the machine was idle shows next to the figure


def test_runs_must_be_positive() -> None:
    with pytest.raises(SystemExit):
        test_time.main(["--runs", "0"])


def test_against_takes_turns_and_prints_the_ratio_of_medians(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    folders = []
    costs = iter([300.0, 200.0, 310.0, 230.0, 290.0, 190.0])  # the earlier commit, then here, three times

    def fake_cpu(cwd: Path) -> tuple[float, float]:
        folders.append(cwd)
        return next(costs), 1.0

    monkeypatch.setattr(test_time, "checkout", lambda revision: Path("/base"))
    monkeypatch.setattr(test_time, "timed", lambda command, **kwargs: 0.0)
    monkeypatch.setattr(test_time, "cpu_of_make_test", fake_cpu)
    test_time.main(["--against", "c9e249e"])
    assert folders == [Path("/base"), test_time.ROOT] * 3  # in turn
    lines = capsys.readouterr().out.splitlines()
    assert "300.0 CPU-s, here: 200.0 CPU-s" in lines[-2]  # the medians of 300, 310, 290 and of 200, 230, 190
    assert lines[-1].split()[:2] == ["ratio", "0.67"] and lines[-1].endswith("ok")  # 200 / 300, within 0.70
