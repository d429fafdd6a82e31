"""Runs action.yml's composite steps here, as GitHub's runner would: each step's `env` with
`${{ inputs.NAME }}` filled in (from the given inputs, else the input's default), its `run`
under `bash --noprofile --norc -eo pipefail`, in $GITHUB_WORKSPACE, with the directories the
step appended to $GITHUB_PATH put in front of PATH for the next steps. Stops at the first
failing step, as GitHub does, and exits with its code. Any other `${{ … }}` expression is an
error: this runner would not know its value.

Usage: python run-local.py ACTION_YML NAME=VALUE…   (GITHUB_* and RUNNER_* come from the env)
"""

import os
import re
import subprocess
import sys

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def main() -> int:
    action_file, *pairs = sys.argv[1:]
    with open(action_file, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    declared = action["inputs"]
    given = dict(pair.split("=", 1) for pair in pairs)
    for name in given:
        if name not in declared:
            sys.exit(f"run-local: {action_file} declares no input `{name}`")
    inputs = {name: given.get(name, spec.get("default", "")) for name, spec in declared.items()}

    def evaluate(text: str) -> str:
        def value(match: re.Match) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return inputs[expression[len("inputs."):]]
            sys.exit(f"run-local: cannot evaluate `${{{{ {expression} }}}}`")
        return EXPRESSION.sub(value, str(text))

    assert action["runs"]["using"] == "composite", action["runs"]["using"]
    env = dict(os.environ)
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash", f"step {step.get('name')}: only bash steps are supported"
        step_env = dict(env)
        step_env.update({key: evaluate(value) for key, value in (step.get("env") or {}).items()})
        with open(env["GITHUB_PATH"], encoding="utf-8") as f:
            added = [line.strip() for line in f if line.strip()]
        step_env["PATH"] = os.pathsep.join(list(reversed(added)) + [env["PATH"]])
        print(f"run-local: step `{step['name']}`", file=sys.stderr, flush=True)
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", evaluate(step["run"])],
            env=step_env,
            cwd=env["GITHUB_WORKSPACE"],
        ).returncode
        if code != 0:
            print(f"run-local: step `{step['name']}` failed with exit code {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
