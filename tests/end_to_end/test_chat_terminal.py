"""`chat` and `run` of a chat model on a real pseudo-terminal, as a person uses them: a
pasted block and `!multi` are one prompt each, the answer's Markdown is rendered (plain with
`--plain` or when piped), thinking is labelled, and no progress bar is left above an answer."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import API_KEY, API_SECRET, SPECS, cli_env, command_path
from tests.terminal import Terminal
from wiro_emulator import Emulator, Plan
from wiro_emulator.chat import reply
from wiro_emulator.images import sample_photo_and_mask

COMMAND = "openai-gpt-5-mini"
#: A real image, as a person attaches one.
PNG = sample_photo_and_mask()[0]
#: An answer a person would rather read rendered.
MARKDOWN = "# Plan\n\nFirst **bold** step.\n\n- one\n- two\n\n```python\nprint('hi')\n```"


QUICK = Plan(0.05, 0.6)


def _emulator(plan: Plan = QUICK) -> Emulator:
    return Emulator(SPECS, api_key=API_KEY, api_secret=API_SECRET, plan=plan,
                    llm_format="segments")  # fmt: skip


def _prompts(emu: Emulator) -> list[str]:
    return [r.body["prompt"] for r in emu.received if r.path.startswith("/v1/Run/")]


def _chat(emu: Emulator, tmp_path: Path, *flags: str) -> Terminal:
    env = cli_env(emu, XDG_STATE_HOME=str(tmp_path / "state"))
    terminal = Terminal([command_path(COMMAND), "chat", *flags], env)
    terminal.wait_for(b"you> ")
    return terminal


def test_a_pasted_block_is_one_prompt_with_its_lines_and_indentation(tmp_path: Path) -> None:
    with _emulator() as emu:
        terminal = _chat(emu, tmp_path)
        # a terminal wraps a paste in bracketed-paste marks, its line breaks as carriage returns
        terminal.type(b"\x1b[200~def f():\r    return 1\x1b[201~\r")
        terminal.wait_for(b"you> ", timeout=20, count=2)
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
        prompts = _prompts(emu)
    assert code == 0, shown
    assert prompts == ["def f():\n    return 1"]  # one turn, billed once, indentation kept
    assert reply("def f():\n    return 1")[1] in shown


def test_multi_sends_the_lines_typed_up_to_end_as_one_prompt(tmp_path: Path) -> None:
    with _emulator() as emu:
        terminal = _chat(emu, tmp_path)
        terminal.type(b"!multi\r")
        terminal.wait_for(b"...> ")
        terminal.type(b"first line\r")
        terminal.type(b"  second, indented\r")
        terminal.type(b"!end\r")
        terminal.wait_for(b"you> ", timeout=20, count=2)
        terminal.type(b"/exit\r")
        code, shown = terminal.finish(timeout=30)
        prompts = _prompts(emu)
    assert code == 0, shown
    assert prompts == ["first line\n  second, indented"]


def test_an_answer_in_markdown_is_rendered_on_a_terminal(tmp_path: Path) -> None:
    with _emulator() as emu:
        emu.plan_next(Plan(0.05, 0.6, answers=(MARKDOWN[:30], MARKDOWN)))
        terminal = _chat(emu, tmp_path)
        terminal.type(b"plan it\r")
        terminal.wait_for(b"you> ", timeout=20, count=2)
        screen = "\n".join(terminal.screen())
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
    assert code == 0, shown
    assert "Plan" in screen and "# Plan" not in screen  # a heading, not its mark
    assert "First bold step." in screen and "\x1b[1m" in shown  # bold, not its stars
    assert "• one" in screen and "print('hi')" in screen and "```" not in screen
    assert screen.count("First") == 1  # each line settled once, never left twice


def test_plain_and_piped_answers_are_the_exact_text(tmp_path: Path) -> None:
    with _emulator() as emu:
        emu.plan_next(Plan(0.05, 0.6, answers=(MARKDOWN,)))
        terminal = _chat(emu, tmp_path, "--plain")
        terminal.type(b"plan it\r")
        terminal.wait_for(b"you> ", timeout=20, count=2)
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
        emu.plan_next(Plan(0.05, 0.6, answers=(MARKDOWN,)))
        piped = subprocess.run(
            [command_path(COMMAND), "run", "plan it"], env=cli_env(emu), capture_output=True,
            text=True, timeout=60, check=False,
        )  # fmt: skip
    assert code == 0, shown
    assert "**bold**" in shown.replace("\r\n", "\n") and "# Plan" in shown
    assert piped.returncode == 0 and piped.stdout == MARKDOWN + "\n"


def _uploads(emu: Emulator) -> int:
    return sum(r.path.startswith("/v1/File/Upload") for r in emu.received)


def test_a_file_given_for_every_turn_is_uploaded_once(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    with _emulator() as emu:
        chatted = subprocess.run(
            [command_path(COMMAND), "chat", "--input-image-url", str(photo)],
            input="first\nsecond\n", env=cli_env(emu, XDG_STATE_HOME=str(tmp_path)),
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        images = [r.body["inputImageUrl"] for r in emu.received if r.path.startswith("/v1/Run/")]
        uploads = _uploads(emu)
    assert chatted.returncode == 0, chatted.stderr
    assert uploads == 1 and len(images) == 2 and images[0] == images[1]
    assert images[0].startswith("http")


def test_attach_sends_files_with_the_next_turn_only(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
    with _emulator() as emu:
        terminal = _chat(emu, tmp_path)
        terminal.type(f"!attach {tmp_path / 'a.png'}\r".encode())
        terminal.wait_for(b"attached a.png")
        terminal.type(f"!attach {tmp_path / 'b.png'}\r".encode())
        terminal.wait_for(b"attached b.png")
        terminal.type(b"!attach /no/such/file.png\r")
        terminal.wait_for(b"not attached")
        terminal.type(b"what are these\r")
        terminal.wait_for(b"you> ", timeout=20, count=5)
        terminal.type(b"and now\r")
        terminal.wait_for(b"you> ", timeout=20, count=6)
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
        uploads = _uploads(emu)
    assert code == 0, shown
    assert uploads == 2 and [run["prompt"] for run in runs] == ["what are these", "and now"]
    images = runs[0]["inputImageUrl"].split(";")  # the input takes several, separated so
    assert len(images) == 2 and all(url.startswith("http") for url in images)
    assert not runs[1].get("inputImageUrl")  # an attachment goes with one turn


def test_several_local_files_go_to_an_input_that_takes_several(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
    with _emulator() as emu:
        ran = subprocess.run(
            [command_path(COMMAND), "run", "compare them", "--input-image-url",
             f"{tmp_path / 'a.png'};{tmp_path / 'b.png'}"],
            env=cli_env(emu), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        (run,) = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
        uploads = _uploads(emu)
    assert ran.returncode == 0, ran.stderr
    assert uploads == 2 and ran.stderr.count("uploaded") == 2
    first, second = run["inputImageUrl"].split(";")
    assert first != second and first.startswith("http") and second.startswith("http")


@pytest.mark.parametrize("delivery", ["socket", "polling"])
def test_thinking_is_labelled_and_no_bar_or_loading_line_is_left(
    tmp_path: Path, delivery: str
) -> None:
    with _emulator(Plan(0.5, 1.5)) as emu:
        if delivery == "polling":  # Task/Detail snapshots only: thinking and answer together
            emu.break_socket("refuse")
        terminal = _chat(emu, tmp_path, "--show-thinking")
        terminal.type(b"hello\r")
        terminal.wait_for(b"you> ", timeout=30, count=2)
        screen = terminal.screen()
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
    thinking, answer = reply("hello")
    assert code == 0, shown
    turn = screen[screen.index("you> hello") + 1 :]
    assert turn == ["[thinking]", thinking, "[/thinking]", answer, "you>"]  # no bar, no log


def test_after_ctrl_c_no_bar_is_drawn_again(tmp_path: Path) -> None:
    with _emulator(Plan(1.5, 8.0)) as emu:
        terminal = _chat(emu, tmp_path)
        terminal.type(b"a long one\r")
        time.sleep(0.8)  # queued: the bar is up
        terminal.type(b"\x03")
        terminal.wait_for(b"Ctrl-C again or Ctrl-D to leave")
        terminal.wait_for(b"you> ", timeout=20, count=2)
        time.sleep(1.0)  # long enough for a bar left running to draw again
        screen = terminal.screen()
        terminal.type(b"\x04")
        code, shown = terminal.finish(timeout=30)
        statuses = [task.status() for task in emu.state.tasks.values()]
    assert code == 0, shown
    after = screen[screen.index("you> a long one") + 1 :]
    assert after[-1] == "you>" and not any("turn:" in line or "%" in line for line in after)
    assert statuses == ["task_cancel"]


def test_run_logs_its_turn_and_run_c_goes_on_with_it_in_another_process(tmp_path: Path) -> None:
    with _emulator() as emu:
        env = cli_env(emu, XDG_STATE_HOME=str(tmp_path))

        def run(*words: str) -> subprocess.CompletedProcess[str]:
            command = [command_path(COMMAND), "run", "-q", *words]
            return subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=60, check=False
            )

        first = run("My name is Ada.")
        second = run("-c", "What is my name?")
        stray = run("--no-log", "Not kept")
        third = subprocess.run(
            [command_path(COMMAND), "chat", "-c", "-q"], input="And again?\n", env=env,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        refused = run("-c", "--session-id", "s-9", "x")
        runs = [r.body for r in emu.received if r.path.startswith("/v1/Run/")]
        tokens = [task.token for task in emu.state.tasks.values()]
        logs = subprocess.run([command_path("wiro"), "logs"], env=env, capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip
    for done in (first, second, stray, third):
        assert done.returncode == 0, done.stderr
    assert "going on with conversation" in second.stderr and "(1 turn)" in second.stderr
    assert "[turn 2 of this session" in second.stdout
    assert "[turn 3 of this session" in third.stdout  # chat -c goes on after run -c
    assert len({run["session_id"] for run in (runs[0], runs[1], runs[3])}) == 1
    assert runs[1]["previousTaskToken"] == tokens[0]
    assert runs[3]["previousTaskToken"] == tokens[1]  # the unlogged run is not in it
    assert "session_id" not in runs[2]
    assert refused.returncode == 2 and "leave out --session-id" in refused.stderr
    assert logs.stdout.count("\n") == 1 and "3 turns" in logs.stdout
