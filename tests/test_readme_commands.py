"""Every shell command of the README works as written in a fresh shell (issue 13 item 1).

The ```bash blocks of README.md are split into simple commands (comments, line continuations,
`&&`, `||`, `;` and `|` handled by shlex). Each command's executable must resolve the way a
fresh shell would resolve it: on a plain system PATH, or, after a `source infra/local/env.sh`
earlier in the same block, on the PATH that env.sh really produces (sourced in bash here);
paths (`.venv/bin/qadapter`, `infra/local/up.sh`) must exist and be executable; `make` targets
must exist in the Makefile. Arguments that name files of the repository (their top-level
directory is tracked, e.g. `data/...`, `infra/...`) must exist; outputs (`runs/...`) are not
checked. The README must not point outside the repository (`../`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FRESH_PATH = "/usr/local/bin:/usr/bin:/bin"  # a login shell's PATH, without any virtualenv
BUILTINS = {"source", ".", "cd", "export", "echo", "set", "unset", "true", "false"}
SEPARATORS = {"&&", "||", ";", "|", "&"}


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M)


def simple_commands(block: str) -> list[list[str]]:
    """The block's simple commands, as word lists, in order."""
    commands, current = [], []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        words.whitespace_split = True
        words.commenters = "#"
        for w in words:
            if w in SEPARATORS:
                commands.append(current)
                current = []
            else:
                current.append(w)
        commands.append(current)
        current = []
    return [c for c in commands if c]


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, flags=re.M))


def tracked_top_dirs() -> set[str]:
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return {f.split("/", 1)[0] for f in files if "/" in f}


def env_sh_path(tmp_path: Path) -> str:
    """PATH after `source infra/local/env.sh` in a fresh shell (state in tmp_path)."""
    env = {"PATH": FRESH_PATH, "HOME": str(tmp_path), "QADAPTER_STATE_DIR": str(tmp_path / "st")}
    out = subprocess.run(
        ["bash", "-c", 'source infra/local/env.sh && printf %s "$PATH"'],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout


def problems_of(blocks: list[str], sourced_path: str) -> list[str]:
    targets, top = make_targets(), tracked_top_dirs()
    problems = []
    for block in blocks:
        path = FRESH_PATH
        for words in simple_commands(block):
            while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
                words = words[1:]  # VAR=value before the command
            if not words:
                continue
            exe, args = words[0], words[1:]
            shown = " ".join(words)
            if exe in ("source", "."):
                if not (REPO / args[0]).is_file():
                    problems.append(f"{shown}: {args[0]} does not exist")
                if args[0] == "infra/local/env.sh":
                    path = sourced_path
                continue
            if exe in BUILTINS:
                continue
            if exe == "make":
                missing = [t for t in args if not t.startswith("-") and t not in targets]
                if missing:
                    problems.append(f"{shown}: no make target {missing}")
                continue
            if "/" in exe:
                if not os.access(REPO / exe, os.X_OK):
                    problems.append(f"{shown}: {exe} is not an executable file of the repo")
            elif shutil.which(exe, path=path) is None:
                problems.append(f"{shown}: {exe!r} is not found on PATH={path}")
            for a in args:
                if "://" in a or a.startswith("-") or "/" not in a:
                    continue
                if a.split("/", 1)[0] in top and not (REPO / a).exists():
                    problems.append(f"{shown}: {a} does not exist in the repository")
    return problems


def test_readme_has_bash_blocks_with_commands():
    blocks = bash_blocks(README.read_text())
    commands = [c for b in blocks for c in simple_commands(b)]
    assert len(blocks) >= 3 and len(commands) >= 10
    assert ["make", "test"] in commands
    assert any(c[:3] == ["prefect", "deployment", "run"] for c in commands)


def test_splitting_follows_the_shell():
    block = "a x && b y   # c z\nd --e=f \\\n  g | h\nVAR=1 i 'j # k'\n"
    assert simple_commands(block) == [
        ["a", "x"],
        ["b", "y"],
        ["d", "--e=f", "g"],
        ["h"],
        ["VAR=1", "i", "j # k"],
    ]


def test_env_sh_puts_the_venv_first_on_path(tmp_path):
    path = env_sh_path(tmp_path).split(":")
    assert path[0] == str(REPO / ".venv" / "bin")
    assert path.count(path[0]) == 1


def test_every_readme_command_resolves_in_a_fresh_shell(tmp_path):
    problems = problems_of(bash_blocks(README.read_text()), env_sh_path(tmp_path))
    assert problems == [], "\n".join(problems)


def test_the_checker_catches_what_a_fresh_shell_would_not_find(tmp_path):
    sourced = env_sh_path(tmp_path)
    # The command of issue 13: prefect without the venv on PATH.
    bad = ["prefect deployment run customize/hh --param alpha0=2.0\n"]
    assert len(problems_of(bad, sourced)) == 1 and "'prefect'" in problems_of(bad, sourced)[0]
    good = ["source infra/local/env.sh && prefect deployment run customize/hh\n"]
    assert problems_of(good, sourced) == []
    assert problems_of(["make up / make status\n"], sourced)  # not a command: targets '/', 'make'
    assert problems_of([".venv/bin/qadapter data check data/no-such-set\n"], sourced)


def test_readme_stays_inside_the_repository():
    text = README.read_text()
    assert "../" not in text, [line for line in text.splitlines() if "../" in line]
