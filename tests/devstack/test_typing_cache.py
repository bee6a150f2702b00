"""The deployment process's unbounded typing cache: same answers, same errors, and the
program's classes still build. Run in a fresh interpreter: the swap is process-wide."""

import subprocess
import sys
import textwrap

from devstack.process import environment

CHECKS = textwrap.dedent(
    """
    import typing
    from collections.abc import Sequence

    from devstack.typing_cache import use_unbounded_typing_cache

    before = typing.Optional[typing.List[int]]
    assert use_unbounded_typing_cache() == ["_SpecialForm", "_GenericAlias", "_SpecialGenericAlias"]
    assert typing.Optional[typing.List[int]] == before
    assert typing.Union[int, str] is typing.Union[int, str]  # built once, then the cache's
    assert typing.Union[int, typing.Union[str, int]] == typing.Union[int, str]
    assert typing.Dict[str, Sequence[int]].__args__ == (str, Sequence[int])
    try:
        typing.Union[()]
    except TypeError as error:
        assert "no types" in str(error), error
    else:
        raise AssertionError("Union[()] built")

    import pulumi_aws as aws

    rule = aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name="m", sampled_requests_enabled=True
    )
    assert rule.metric_name == "m"
    print("ok")
    """
)


def test_subscriptions_answer_and_fail_as_before_and_pulumi_aws_still_builds() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECKS], env=environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
