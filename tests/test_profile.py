import pytest

from utils.profile import current_profile, pick


def test_default_profile_is_full(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    assert current_profile() == "full"
    assert pick(full=20, quick=2) == 20


def test_quick_profile_picks_quick_value(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", " Quick ")
    assert current_profile() == "quick"
    assert pick(full=20, quick=2) == 2


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="COURSE_PROFILE='fast'"):
        current_profile()


def test_pick_rejects_values_of_different_types(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    with pytest.raises(ValueError, match="same type"):
        pick(full=20, quick=2.0)
