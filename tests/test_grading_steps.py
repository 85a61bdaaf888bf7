"""The grading steps run in the order course/grading/steps.py gives, which keeps every rule
there (which step must run before which, and why), and the rules are checked for real."""
import pytest

from course.grading import steps
from course.grading.runner import load_config
from tests.support import ROOT

CONFIGURED = {"sanitize": ("Autograde", "sanitize_preprocessors"),
              "autograde": ("Autograde", "autograde_preprocessors"),
              "feedback": ("GenerateFeedback", "preprocessors")}


def test_nbgrader_config_installs_the_steps_in_their_order():
    config = load_config(ROOT)
    for stage, (section, option) in CONFIGURED.items():
        assert list(config[section][option]) == steps.STAGES[stage], stage
    assert list(config.GenerateAssignment.preprocessors) == steps.GENERATE_ASSIGNMENT


def test_the_steps_keep_every_ordering_rule():
    assert steps.broken_rules() == []


def _name(step):
    return "any other step" if step is steps.ANY_OTHER else step.__name__


@pytest.mark.parametrize("rule", steps.RULES,
                         ids=[f"{s}:{_name(a)}<{_name(b)}" for s, a, b, _ in steps.RULES])
def test_an_order_against_a_rule_is_caught(rule):
    stage, earlier, later, _ = rule
    order = list(steps.STAGES[stage])
    if earlier is steps.ANY_OTHER:  # `later` must be last: move it to the front
        order.remove(later)
        order.insert(0, later)
    elif later is steps.ANY_OTHER:  # `earlier` must be first: move it to the end
        order.remove(earlier)
        order.append(earlier)
    else:
        i, j = order.index(earlier), order.index(later)
        order[i], order[j] = later, earlier
    assert rule in steps.broken_rules({**steps.STAGES, stage: order})
    order.remove(later if earlier is steps.ANY_OTHER else earlier)
    assert rule in steps.broken_rules({**steps.STAGES, stage: order}), "a missing step"
