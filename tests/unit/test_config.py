"""The config file: defaults, overrides, one-line errors, the validated cache, the docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from techqueue.config.loader import load
from techqueue.config.model import ConfigError, render_docs, validate
from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.paths import cache_path, config_path
from techqueue.scoring import Weights, rank

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config_file() -> Path:
    """The config file the isolated environment points TECHQUEUE_CONFIG at (not yet written)."""
    return Path(os.environ["TECHQUEUE_CONFIG"])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults and overrides ----------------------------------------------------------------


def test_defaults_with_no_file(config_file: Path) -> None:
    assert not config_file.exists()
    settings = load()
    assert settings == Settings()
    assert settings.source == "defaults"
    assert settings.weights == Weights()
    assert settings.hours == WorkingHours()
    assert not cache_path().exists()


def test_config_path_follows_the_environment(config_file: Path) -> None:
    assert config_path() == config_file


def test_an_empty_file_gives_the_defaults(config_file: Path) -> None:
    settings = load(write(config_file, ""))
    assert settings.weights == Weights()
    assert settings.hours == WorkingHours()
    assert settings.source == str(config_file)


def test_a_valid_file_overrides_values(config_file: Path) -> None:
    write(
        config_file,
        """
[scoring]
vip_tier = false
vip_weight = 3
impact_weight = 0.25
estimate_exponent = 0.8
aging_linear = 1
aging_quadratic = 0.75
due_weight = 2
promise_weight = 4.5
deadline_horizon = "2h"
bump_factor = 2
quick_win = "90s"
switch_cost = "5m"

[scoring.severity]
critical = 20
high = 8
normal = 3
low = 0.5

[targets]
critical = "10m"
high = 45
normal = "1h30m"
low = "48h"

[estimates]
critical = 60
normal = "12m"

[hours]
start = "08:00"
end = "16:30"
days = ["mon", "tuesday", "Wed", "thu", "sat"]
""",
    )
    settings = load()
    weights = settings.weights
    assert (weights.vip_tier, weights.vip_weight, weights.impact_weight) == (False, 3.0, 0.25)
    assert (weights.estimate_exponent, weights.aging_linear, weights.aging_quadratic) == (
        0.8,
        1.0,
        0.75,
    )
    assert (weights.due_weight, weights.promise_weight, weights.bump_factor) == (2.0, 4.5, 2.0)
    assert weights.deadline_horizon_minutes == 120.0
    assert weights.quick_win_minutes == 1.5
    assert weights.switch_cost_minutes == 5.0
    assert weights.severity_value["critical"] == 20.0
    assert weights.severity_value["low"] == 0.5
    assert [weights.response_target_minutes[s] for s in ("critical", "high", "normal", "low")] == [
        10.0,
        45.0,
        90.0,
        2880.0,
    ]
    assert weights.default_estimate_minutes["critical"] == 60.0
    assert weights.default_estimate_minutes["normal"] == 12.0
    assert weights.default_estimate_minutes["high"] == Weights().default_estimate_minutes["high"]
    assert settings.hours == WorkingHours(time(8, 0), time(16, 30), frozenset({0, 1, 2, 3, 5}))
    assert settings.source == str(config_file)


@pytest.mark.parametrize(("text", "minutes"), [("15", 15.0), ("15.5", 15.5), ('"15m"', 15.0)])
def test_durations_as_numbers_or_strings(config_file: Path, text: str, minutes: float) -> None:
    write(config_file, f"[targets]\ncritical = {text}\n")
    assert load().weights.response_target_minutes.critical == minutes


def test_an_explicit_path_wins_over_the_environment(tmp_path: Path, config_file: Path) -> None:
    write(config_file, "[scoring]\nvip_weight = 2\n")
    other = write(tmp_path / "other.toml", "[scoring]\nvip_weight = 5\n")
    assert load(other).weights.vip_weight == 5.0
    assert load().weights.vip_weight == 2.0


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[scoring]\nvip_wieght = 2\n", "scoring.vip_wieght", "unknown setting"),
        ("[sorting]\n", "sorting", "unknown setting"),
        ('[scoring]\nvip_weight = "heavy"\n', "scoring.vip_weight", "must be a number"),
        ("[scoring]\nvip_tier = 3\n", "scoring.vip_tier", "must be true or false"),
        ("[hours]\ndays = 'mon'\n", "hours.days", "must be a list"),
        ("scoring = 5\n", "scoring", "must be a table of settings"),
        ("[scoring]\nbump_factor = 1\n", "scoring.bump_factor", "must be more than 1"),
        ("[scoring]\nestimate_exponent = 4\n", "scoring.estimate_exponent", "must be at most 3"),
        (
            "[scoring.severity]\ncritical = 5\n",
            "scoring.severity",
            "must decrease from critical to high",
        ),
        ("[scoring.severity]\nnormal = 6\n", "scoring.severity", "must decrease"),
        ("[scoring.severity]\nlow = 0\n", "scoring.severity.low", "must be more than 0"),
        ('[targets]\ncritical = "soon"\n', "targets.critical", "'soon' is not a duration"),
        ("[targets]\nhigh = 0\n", "targets.high", "must be more than 0"),
        ('[estimates]\nnormal = "-5m"\n', "estimates.normal", "not a duration"),
        ('[hours]\nstart = "25:00"\n', "hours.start", "not a time of day"),
        ('[hours]\nend = "5pm"\n', "hours.end", "not a time of day"),
        ('[hours]\nstart = "18:00"\n', "hours", "end must be after start"),
        ('[hours]\nstart = "12:00"\nend = "12:00"\n', "hours", "end must be after start"),
        ('[hours]\ndays = ["funday"]\n', "hours.days", "'funday' is not a weekday"),
        ("[hours]\ndays = []\n", "hours.days", "at least one working day"),
        ("[hours]\nstart = 08:00:00\n", "hours.start", "must be text, in quotes"),
        (
            '[scoring.business]\norganisations = {"corp" = "high"}\n',
            "scoring.business.organisations",
            "'corp' is not a mail domain",
        ),
        (
            '[scoring.business]\nrequesters = {"Dana" = "huge"}\n',
            "scoring.business.requesters.Dana",
            "high",
        ),
        ("[scoring.business]\nlow = 2\n", "scoring.business.low", "at most 1"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_key_and_the_problem(
    config_file: Path, text: str, key: str, problem: str
) -> None:
    write(config_file, text)
    with pytest.raises(ConfigError) as caught:
        load()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{config_file}: {key}: ")
    assert problem in message
    assert "Input should" not in message  # pydantic's wording never reaches the user
    assert "Value error" not in message


def test_every_problem_is_said_on_the_one_line(config_file: Path) -> None:
    write(config_file, "[scoring]\nfoo = 1\nbar = 2\nvip_weight = 0\n[hours]\nstart = 9\n")
    with pytest.raises(ConfigError) as caught:
        load()
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        f"{config_file}: scoring.vip_weight: must be at least 1; scoring.foo: unknown setting; "
        "scoring.bar: unknown setting; hours.start: must be text, in quotes"
    )


@pytest.mark.parametrize(
    "text",
    ["[scoring\nvip_tier = true\n", "vip_tier = = true\n", "[a]\n[a]\n", 'x = "unclosed\n'],
)
def test_bad_toml_is_one_line(config_file: Path, text: str) -> None:
    write(config_file, text)
    with pytest.raises(ConfigError) as caught:
        load()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{config_file}: not valid TOML: ")
    assert "line" in message


def test_a_file_that_is_not_utf8_is_an_error(config_file: Path) -> None:
    config_file.write_bytes(b"[scoring]\nvip_weight = 2 # \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load()


def test_an_unreadable_config_path_is_an_error(config_file: Path) -> None:
    config_file.mkdir()
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load()


@pytest.mark.parametrize("day", ["monkey", "sunshine", "wedding", "friend"])
def test_a_word_that_only_starts_like_a_weekday_is_an_error(config_file: Path, day: str) -> None:
    write(config_file, f'[hours]\ndays = ["{day}"]\n')
    with pytest.raises(ConfigError, match=f"hours.days: '{day}' is not a weekday"):
        load()


@pytest.mark.parametrize(
    "text",
    [
        "[estimates]\nnormal = inf\n",
        "[scoring]\ndeadline_horizon = inf\n",
        "[targets]\ncritical = inf\n",
        "[scoring]\naging_linear = inf\n",
        "[scoring.severity]\ncritical = inf\n",
    ],
)
def test_infinite_numbers_are_an_error(config_file: Path, text: str) -> None:
    write(config_file, text)
    with pytest.raises(ConfigError):
        load()


def test_any_loadable_config_can_rank(config_file: Path) -> None:
    write(config_file, "[estimates]\nnormal = inf\n")
    try:
        weights = load().weights
    except ConfigError:
        return
    when = datetime(2026, 3, 2, 9, 0)
    normal = SimpleNamespace(
        id=1,
        vip=False,
        severity="normal",
        impact=1,
        estimate_minutes=None,
        received_at=when,
        due_at=None,
        pinned=False,
        deferred_until=None,
        promise_due_at=None,
        status="open",
        bump=0,
    )
    assert len(rank([normal], when, weights)) == 1


# --- the validated-config cache ------------------------------------------------------------

_PROBE = """
import json, sys
from techqueue.config.loader import load
settings = load()
print(json.dumps({
    "pydantic": "pydantic" in sys.modules,
    "config_module": "techqueue.config.model" in sys.modules,
    "vip_weight": settings.weights.vip_weight,
    "critical_target": settings.weights.response_target_minutes.critical,
    "source": settings.source,
}))
"""


def probe() -> dict[str, object]:
    """Load the settings in a fresh interpreter and report what it imported and read."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
        timeout=60,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_a_validated_file_loads_from_the_cache_without_pydantic(config_file: Path) -> None:
    write(config_file, '[scoring]\nvip_weight = 2.5\n[targets]\ncritical = "10m"\n')
    first = probe()  # validates and fills the cache
    assert first["pydantic"] is True
    assert cache_path().is_file()
    second = probe()
    assert second == {
        "pydantic": False,
        "config_module": False,
        "vip_weight": 2.5,
        "critical_target": 10.0,
        "source": str(config_file),
    }


@pytest.mark.slow
def test_no_file_needs_neither_pydantic_nor_a_cache(config_file: Path) -> None:
    assert probe() == {
        "pydantic": False,
        "config_module": False,
        "vip_weight": Weights().vip_weight,
        "critical_target": Weights().response_target_minutes.critical,
        "source": "defaults",
    }
    assert not cache_path().exists()


@pytest.mark.slow
def test_a_changed_file_is_validated_again(config_file: Path) -> None:
    write(config_file, "[scoring]\nvip_weight = 2.5\n")
    load()  # warm the cache in this process
    assert probe()["pydantic"] is False

    write(config_file, "[scoring]\nvip_weight = 7\n")
    changed = probe()
    assert changed["pydantic"] is True
    assert changed["vip_weight"] == 7.0
    assert probe()["pydantic"] is False

    write(config_file, "[scoring]\nvip_weight = 0.5\n")
    with pytest.raises(ConfigError, match=r"scoring\.vip_weight: must be at least 1$"):
        load()


def test_a_changed_file_is_validated_again_in_process(config_file: Path) -> None:
    write(config_file, "[scoring]\nvip_weight = 2.5\n")
    assert load().weights.vip_weight == 2.5
    write(config_file, "[scoring]\nvip_weight = 3.5\n")
    assert load().weights.vip_weight == 3.5
    write(config_file, "[scoring]\nvip_wait = 3.5\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load()


@pytest.mark.parametrize(
    "cache",
    ["not json", "[]", '{"format": 1}', None],
)
def test_a_broken_or_foreign_cache_is_ignored(config_file: Path, cache: str | None) -> None:
    write(config_file, "[scoring]\nvip_weight = 2.5\n")
    load()
    record = json.loads(cache_path().read_text(encoding="utf-8"))
    if cache is None:  # right file hash, but settings of another shape
        record["settings"] = {"scoring": {"nonsense": True}}
        cache = json.dumps(record)
    cache_path().write_text(cache, encoding="utf-8")
    assert load().weights.vip_weight == 2.5


def test_the_cache_holds_what_validation_returns(config_file: Path) -> None:
    write(config_file, '[targets]\nlow = "72h"\n')
    load()
    record = json.loads(cache_path().read_text(encoding="utf-8"))
    assert record["settings"] == validate(config_file.read_bytes(), config_file)
    assert record["settings"]["targets"]["low"] == 4320.0


# --- the generated docs --------------------------------------------------------------------


def test_docs_are_current() -> None:
    """docs/config.md is generated: run ``python -m techqueue.config > docs/config.md``."""
    assert (ROOT / "docs" / "config.md").read_text(encoding="utf-8") == render_docs()


def test_the_docs_name_every_key() -> None:
    docs = render_docs()
    for name in (
        "vip_tier",
        "aging_quadratic",
        "deadline_horizon",
        "quick_win",
        "[scoring.severity]",
        "[targets]",
        "[estimates]",
        "[hours]",
    ):
        assert name in docs


def test_business_weights_per_organisation_and_requester(config_file: Path) -> None:
    write(
        config_file,
        "[scoring.business]\nhigh = 3\n"
        'organisations = {"@Corp.Example" = "high", "cheap.example" = "low"}\n'
        'requesters = {"Dana  Reyes" = "low"}\n',
    )
    weights = load().weights
    assert weights.cost_high == 3.0
    assert weights.cost_low == Weights().cost_low
    assert weights.business_organisations == (("corp.example", "high"), ("cheap.example", "low"))
    assert weights.business_requesters == (("Dana Reyes", "low"),)
    assert load().weights == weights  # and the same from the cache
