"""The generated command line, run as users run it, against the emulator."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import API_KEY, API_SECRET, cli_env, command_path, run_cli
from wiro_emulator import Emulator, Plan
from wiro_runtime import cli as runtime_cli

FAST_POLL = ("--poll-interval", "0.02")


def test_run_saves_outputs_and_prints_their_paths(emulator: Emulator, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "--input-image-url",
        f"{emulator.origin}/samples/photo.png",
        "--input-image-mask-url",
        f"{emulator.origin}/samples/mask.png",
        "-o",
        str(tmp_path / "out"),
        *FAST_POLL,
        env=cli_env(emulator),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "out" / "0.png")]
    assert (tmp_path / "out" / "0.png").stat().st_size > 1000
    assert "submitted task 2221" in result.stderr and "task 2221: done" in result.stderr


def test_default_output_dir_is_per_task(emulator: Emulator, tmp_path: Path) -> None:
    result = run_cli("run", "--quiet", *FAST_POLL, env=cli_env(emulator), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path("wiro-output") / "2221" / "0.png")
    assert result.stderr == ""


def test_json_output(emulator: Emulator, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "--json",
        "--no-download",
        "--samples",
        "2",
        *FAST_POLL,
        env=cli_env(emulator),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["state"] == "succeeded" and data["pexit"] == "0" and data["files"] == []
    assert [o["name"] for o in data["outputs"]] == ["0.png", "1.png"]
    assert not (tmp_path / "wiro-output").exists()


def test_dry_run_prints_the_exact_request_and_sends_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    result = run_cli(
        "run",
        "--dry-run",
        "--prompt",
        "a cat",
        "--selected-model",
        "54",
        env=cli_env(emulator),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)
    assert set(request) == {"method", "url", "headers", "encoding", "body"}
    assert request["url"] == f"{emulator.base_url}/Run/wiro/image-inpainting-sd"
    assert request["encoding"] == "json"
    assert request["body"] == {
        "selectedModel": "54",
        "selectedModelPrivate": "",
        "prompt": "a cat",
        "negativePrompt": "painted illustration",
        "samples": 1,
        "steps": 30,
        "scale": 7.5,
        "strength": 0.85,
        "seed": "123456",
        "scheduler": "EulerDiscreteScheduler",
        "width": 512,
        "height": 512,
    }
    assert API_KEY not in result.stdout and API_SECRET not in result.stdout
    assert request["headers"]["x-api-key"] == "<WIRO_API_KEY>"
    assert emulator.runs_received() == 0 and list(tmp_path.iterdir()) == []


def test_dry_run_needs_no_credentials(tmp_path: Path) -> None:
    result = run_cli("run", "--dry-run", env=cli_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["url"] == "https://api.wiro.ai/v1/Run/wiro/image-inpainting-sd"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--bogus"], "unrecognized arguments: --bogus"),
        (["run", "--scheduler", "Nope"], "invalid choice: 'Nope'"),
        (["run", "--steps", "ten"], "expected an integer, got 'ten'"),
        (["run", "--scale", "x"], "expected a number, got 'x'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "required: COMMAND"),
        (["detail"], "name the task once: TASK"),
        (["detail", "2221", "--token", "abc"], "name the task once: TASK"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run_cli(*args, env=cli_env())
    assert result.returncode == runtime_cli.EXIT_USAGE
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "--help" in result.stderr


def test_missing_credentials_is_a_usage_error() -> None:
    result = run_cli("run", env=cli_env(WIRO_BASE_URL="http://127.0.0.1:9/v1"))
    assert result.returncode == runtime_cli.EXIT_USAGE
    assert "WIRO_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_auth_error_exit_code(emulator: Emulator) -> None:
    result = run_cli("run", env=cli_env(emulator, WIRO_API_SECRET="wrong"))
    assert result.returncode == runtime_cli.EXIT_AUTH
    assert "authentication failed" in result.stderr and "wrong" not in result.stderr


def test_unreachable_server_is_an_api_error() -> None:
    result = run_cli(
        "detail", "1", env=cli_env(WIRO_API_KEY="k", WIRO_BASE_URL="http://127.0.0.1:9/v1")
    )
    assert result.returncode == runtime_cli.EXIT_API
    assert "TransportError" in result.stderr and "Traceback" not in result.stderr


def test_failed_task_exit_code(emulator: Emulator) -> None:
    emulator.plan_next(Plan(0.02, 0.1, "fail"))
    result = run_cli("run", *FAST_POLL, env=cli_env(emulator))
    assert result.returncode == runtime_cli.EXIT_TASK_FAILED
    assert "task 2221 failed" in result.stderr and "emulated model failure" in result.stderr


def test_cancel_then_wait_exit_codes(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=30))
    env = cli_env(emulator)
    submitted = run_cli(
        "run", "--wait-timeout", "0.1", "--on-timeout", "leave", *FAST_POLL, env=env
    )
    assert submitted.returncode == runtime_cli.EXIT_WAIT_TIMEOUT
    assert "wait 2221" in submitted.stderr
    detail = run_cli("detail", "2221", "--json", env=env)
    assert json.loads(detail.stdout)["status"] == "task_queue"
    cancelled = run_cli("cancel", "2221", env=env)
    assert cancelled.returncode == 0 and "task_cancel" in cancelled.stdout
    waited = run_cli("wait", "2221", env=env)
    assert waited.returncode == runtime_cli.EXIT_TASK_CANCELLED


def test_kill_by_token(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    env = cli_env(emulator)
    run_cli("run", "--wait-timeout", "0.05", "--on-timeout", "leave", *FAST_POLL, env=env)
    token = emulator.state.tasks["2221"].token
    killed = run_cli("kill", token, "--json", env=env)
    assert killed.returncode == 0, killed.stderr
    assert json.loads(killed.stdout)["status"] == "task_cancel"
    assert token not in killed.stdout


def test_wait_timeout_kills_by_default(emulator: Emulator) -> None:
    emulator.plan_next(Plan(queue_seconds=0.0, run_seconds=30))
    result = run_cli("run", "--wait-timeout", "0.2", *FAST_POLL, env=cli_env(emulator))
    assert result.returncode == runtime_cli.EXIT_WAIT_TIMEOUT
    assert "it was killed" in result.stderr
    assert emulator.state.tasks["2221"].status() == "task_cancel"


def test_wait_downloads_a_finished_task(emulator: Emulator, tmp_path: Path) -> None:
    env = cli_env(emulator)
    run_cli("run", "--no-download", *FAST_POLL, env=env)
    result = run_cli("wait", "2221", "-o", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "0.png")


def test_help_shows_choices_defaults_and_exit_codes() -> None:
    result = run_cli("run", "--help", env=cli_env())
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--selected-model SELECTED_MODEL" in text
    assert "632 (ItsJayQz/GTA5_Artwork_Diffusion)" in text
    assert "default: EulerDiscreteScheduler" in text and "default: 7.5" in text
    assert "exit codes:" in text and "7 the wait deadline passed" in text
    from wiro_runtime._command_line.exit_codes import EXIT_CODES

    for code, meaning in EXIT_CODES:  # the one table, every code of it
        assert f"{code} {meaning}" in text


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wiro_image_inpainting_sd", "run", "--dry-run"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["method"] == "POST"


def test_help_does_not_import_httpx_or_pydantic() -> None:
    probe = (
        "import sys\n"
        "from wiro_image_inpainting_sd._cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('httpx', 'pydantic') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_console_script_is_installed() -> None:
    assert Path(command_path("wiro-image-inpainting-sd")).exists()


@pytest.mark.parametrize("timeout", ["0", "-5"])
def test_a_wait_timeout_that_cannot_work_is_refused_before_submitting(
    emulator: Emulator, timeout: str
) -> None:
    result = run_cli("run", "--wait-timeout", timeout, env=cli_env(emulator))
    assert result.returncode == runtime_cli.EXIT_USAGE
    assert "expected seconds above 0" in result.stderr
    assert emulator.runs_received() == 0


@pytest.mark.parametrize(
    "command",
    [["wiro-image-inpainting-sd", "run", "--dry-run"], ["wiro", "tools", "--json"]],
    ids=["dry-run", "wiro-tools"],
)
def test_a_reader_that_goes_away_ends_the_command_quietly(command: list[str]) -> None:
    process = subprocess.Popen(
        [command_path(command[0]), *command[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # `| head -0`: the reader is gone before the first line
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait(timeout=30) == 141
    assert "Traceback" not in err and "internal error" not in err and "Broken" not in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--prompt", "\udcff"], "not valid UTF-8"),
        (["--poll-interval", "-1"], "expected seconds above 0"),
        (["--timeout", "-1"], "expected seconds above 0"),
        (["--timeout", "0"], "expected seconds above 0"),
        (["--base-url", "http://[::1"], "is not a URL"),
        (["--api-key", "k\u00e9y"], "no HTTP header can carry"),
        (["--api-key", "key\nx"], "no HTTP header can carry"),
        (["-o", "a-file.png"], "that is a file"),
    ],
    ids=["non-utf8", "negative-poll", "negative-timeout", "zero-timeout", "bad-base-url",
         "non-ascii-key", "newline-key", "output-is-a-file"],
)  # fmt: skip
def test_the_users_mistakes_are_usage_errors_before_anything_is_sent(
    emulator: Emulator, tmp_path: Path, args: list[str], said: str
) -> None:
    (tmp_path / "a-file.png").write_bytes(b"not a folder")
    result = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", *args],
        env=cli_env(emulator),
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=False,
    )
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == runtime_cli.EXIT_USAGE, err
    assert said in err and "internal error" not in err and "Traceback" not in err
    assert emulator.runs_received() == 0


@pytest.mark.parametrize("content", ["empty", "folder"])
def test_file_inputs_that_cannot_be_sent_are_refused(
    emulator: Emulator, tmp_path: Path, content: str
) -> None:
    target = tmp_path / "photo.png"
    if content == "empty":
        target.write_bytes(b"")
    else:
        target.mkdir()
    result = subprocess.run(
        [command_path("wiro-avatarmotion"), "run", "--input-image", str(target)],
        env=cli_env(emulator),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == runtime_cli.EXIT_USAGE
    assert "input_image" in result.stderr and "internal error" not in result.stderr
    assert emulator.runs_received() == 0


def _versions() -> list[tuple[str, str]]:
    from importlib.metadata import version

    runtime = version("wiro-runtime")
    package = version("wiro-image-inpainting-sd")
    return [
        ("wiro-image-inpainting-sd",
         f"wiro-image-inpainting-sd {package} (spec wiro/image-inpainting-sd {package}; "
         f"wiro-runtime {runtime})"),
        ("wiro", f"wiro (wiro-runtime {runtime})"),
        ("wiro-codegen",
         f"wiro-codegen {version('wiro-codegen')} (wiro-runtime {runtime}; spec schema 1)"),
        ("wiro-emulator", f"wiro-emulator {version('wiro-emulator')} (wiro-runtime {runtime})"),
    ]  # fmt: skip


@pytest.mark.parametrize(("command", "shown"), _versions())
def test_every_command_tells_its_versions(command: str, shown: str) -> None:
    result = subprocess.run(
        [command_path(command), "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == shown, result.stdout + result.stderr


def test_stored_credentials_serve_a_run_with_no_key_in_the_environment(
    emulator: Emulator, tmp_path: Path
) -> None:
    env = cli_env(emulator, XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("WIRO_API_KEY")
    env.pop("WIRO_API_SECRET")
    wiro = command_path("wiro")

    def auth(*args: str, given: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [wiro, "auth", *args], input=given, env=env, capture_output=True, text=True,
            timeout=30, check=False,
        )  # fmt: skip

    assert auth("login", given=f"{API_KEY}\n{API_SECRET}\n").returncode == 0
    stored = tmp_path / "config" / "wiro" / "credentials.json"
    assert stored.stat().st_mode & 0o777 == 0o600
    status = auth("status")
    assert status.returncode == 0 and API_SECRET not in status.stdout + status.stderr
    assert "signature" in status.stdout
    ran = run_cli("run", "--no-download", "-q", env=env)
    assert ran.returncode == 0, ran.stderr
    assert auth("login", "--profile", "other", given="wrong-key\n").returncode == 0
    other = run_cli("run", "--no-download", "-q", env={**env, "WIRO_PROFILE": "other"})
    assert other.returncode == runtime_cli.EXIT_AUTH  # that profile's key is refused
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env["XDG_CONFIG_HOME"], kept = str(blocker), env["XDG_CONFIG_HOME"]
    unwritable = auth("login", given=f"{API_KEY}\n")
    assert unwritable.returncode == 2 and "cannot store credentials" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
    env["XDG_CONFIG_HOME"] = kept
    assert auth("logout").returncode == 0
    gone = run_cli("run", "--no-download", "-q", env=env)
    assert gone.returncode == runtime_cli.EXIT_USAGE and "wiro auth login" in gone.stderr


def _complete(script: str, *words: str) -> list[str]:
    """What bash offers after `words` with the script loaded (the last word being typed)."""
    line = " ".join(shlex.quote(word) for word in words)
    probe = (
        f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
        '_wiro_image_inpainting_sd_complete; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_completion_scripts_load_and_complete() -> None:
    command = command_path("wiro-image-inpainting-sd")
    bash = subprocess.run(
        [command, "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    assert _complete(bash, "wiro-image-inpainting-sd", "ru") == ["run"]
    assert "--scheduler" in _complete(bash, "wiro-image-inpainting-sd", "run", "--sch")
    assert "DDIMScheduler" in _complete(
        bash, "wiro-image-inpainting-sd", "run", "--scheduler", "DD"
    )
    offered = _complete(bash, "wiro-image-inpainting-sd", "completion", "")
    assert [word for word in offered if not word.startswith("-")] == ["bash", "zsh", "fish"]
    zsh, fish = (
        subprocess.run([command, "completion", shell], capture_output=True, text=True, check=True)
        .stdout for shell in ("zsh", "fish")
    )  # fmt: skip
    assert zsh.startswith("# zsh") and "bashcompinit" in zsh and "--scheduler)" in zsh
    assert "-l scheduler -x -a 'EulerDiscreteScheduler DDIMScheduler" in fish
    bad = subprocess.run([command, "completion", "tcsh"], capture_output=True, text=True)
    assert bad.returncode == runtime_cli.EXIT_USAGE


def test_logins_to_many_profiles_at_once_keep_every_profile(tmp_path: Path) -> None:
    env = cli_env(XDG_CONFIG_HOME=str(tmp_path / "config"))
    names = [f"profile-{number}" for number in range(24)]
    logins = [
        subprocess.Popen(
            [command_path("wiro"), "auth", "login", "--profile", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for name in names
    ]
    for name, login in zip(names, logins, strict=True):
        _, err = login.communicate(f"key-of-{name}\n", timeout=60)
        assert login.returncode == 0, err
    stored = json.loads((tmp_path / "config" / "wiro" / "credentials.json").read_text())
    assert {name: entry["api_key"] for name, entry in stored["profiles"].items()} == {
        name: f"key-of-{name}" for name in names
    }


def _limit_file_size() -> None:
    """In the child: files past 512 bytes cannot be written, as on a full disk (EFBIG, not
    a signal that kills the process)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


@pytest.mark.parametrize("where", ["full-disk", "not-a-folder"])
def test_outputs_that_cannot_be_saved_name_the_folder_and_the_way_back(
    emulator: Emulator, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("in the way")
    target = tmp_path / ("out" if where == "full-disk" else "a-file/out")
    shown = subprocess.run(
        [command_path("wiro-image-inpainting-sd"), "run", "-q", "-o", str(target),
         "--poll-interval", "0.05"],
        env=cli_env(emulator), capture_output=True, text=True, timeout=60, check=False,
        preexec_fn=_limit_file_size if where == "full-disk" else None,
    )  # fmt: skip
    assert shown.returncode == 8, shown.stderr
    assert "the task succeeded" in shown.stderr and str(target) in shown.stderr
    assert "download 2221 -o" in shown.stderr and "internal error" not in shown.stderr
    if where == "full-disk":
        assert list(target.iterdir()) == []  # nothing half-written left behind
    fetched = run_cli("download", "2221", "-o", str(tmp_path / "elsewhere"), env=cli_env(emulator))
    assert fetched.returncode == 0 and Path(fetched.stdout.strip()).is_file()
