"""bench/test_time.py: the figure it prints for `make test` is the median of three full runs, set-up not timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import test_time  # bench/ is not a package: its scripts import each other from their folder


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
