"""tests/budget.py's order for pytest-xdist's worksteal: each worker's share starts with its part of the long
tests, the shares hold about the same, and nothing is lost or run twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest

from tests.budget import COST, KEEP_TOGETHER, SLOW_DEFAULT, longest_first


@dataclass
class FakeItem:
    nodeid: str
    slow: bool = False

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name == "slow" and self.slow else None


def items(*ids: str, slow: tuple[str, ...] = ()) -> list[pytest.Item]:
    return cast(list[pytest.Item], [FakeItem(nodeid, nodeid in slow) for nodeid in ids])


def ids(found: list[Any]) -> list[str]:
    return [item.nodeid for item in found]


SPEC = "tests/pipeline/test_spec_changes.py"
SHORT = [f"tests/sdk/test_client.py::test_{n}" for n in range(12)]


def test_each_share_starts_with_its_part_of_the_long_tests_and_keeps_every_test_once() -> None:
    long = [f"{SPEC}::test_scenario_{n}" for n in range(4)]
    collected = items(*SHORT[:6], *long, *SHORT[6:], slow=tuple(long))
    ordered = ids(longest_first(collected, 2))
    assert sorted(ordered) == sorted(ids(collected))  # a permutation: nothing lost, nothing twice
    first, second = ordered[:8], ordered[8:]  # worksteal's shares: len // 2, then the rest
    assert first[:2] == long[0::2] and second[:2] == long[1::2]  # two long tests at the head of each share
    assert all(nodeid in SHORT for nodeid in first[2:] + second[2:])


def test_the_longest_go_first_and_loads_are_balanced() -> None:
    mypy_host = "tests/packaging/test_vendoring.py::test_a_strict_mypy_host_needs_exactly_the_stubs"
    small = "tests/sdk/test_cli.py::test_the_installed_command"
    scenario = f"{SPEC}::test_a_renamed_response_field"
    collected = items(small, *SHORT, scenario, mypy_host, slow=(small, scenario, mypy_host))
    ordered = ids(longest_first(collected, 2))
    half = len(ordered) // 2
    assert COST[mypy_host[: len("tests/packaging/test_vendoring.py::test_a_strict_mypy_host")]] > COST[scenario]
    assert ordered[0] == mypy_host  # the longest opens the first share
    assert ordered[half] == scenario  # the next the other, which then also takes the small one (SLOW_DEFAULT)
    assert ordered[half + 1] == small
    assert COST[f"{SPEC}::test_add_operation_then"] > COST[SPEC] > SLOW_DEFAULT  # the longest prefix wins


def test_a_module_sharing_one_build_stays_on_one_worker() -> None:
    (module,) = KEEP_TOGETHER
    together = [f"{module}::test_{n}" for n in range(3)]
    collected = items(*SHORT, *together, slow=tuple(together))
    ordered = ids(longest_first(collected, 2))
    start = ordered.index(together[0])
    assert ordered[start : start + 3] == together
    share = len(ordered) // 2
    assert start + 3 <= share or start >= share  # all three in one share


def test_without_long_tests_the_order_is_kept() -> None:
    collected = items(*SHORT)
    assert ids(longest_first(collected, 2)) == SHORT
    assert ids(longest_first(collected, 3)) == SHORT
    quick = items(*SHORT, f"{SPEC}::test_a_quick_one")  # not marked slow: make quick's order stays as collected
    assert ids(longest_first(quick, 2)) == ids(quick)
