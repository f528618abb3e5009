"""The layers of docs/architecture.md, enforced: import-linter's contracts (the same
command `make lint` runs), and no import inside a function that reaches another app
(such imports only ever existed to dodge an import cycle). AppConfig.ready() is the
exception Django intends: it registers an app's kinds, receivers and parts once the
registry is ready."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("common", "members", "platforms", "resources", "tasks", "notifications", "demo")


def test_import_contracts_hold():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _imported_app(node) -> str | None:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    else:
        return None
    for name in names:
        if name.split(".")[0] in APPS:
            return name.split(".")[0]
    return None


def function_level_imports_between_apps(root: Path = ROOT) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if path.name == "apps.py" and function.name == "ready":
                    continue
                for node in ast.walk(function):
                    other = _imported_app(node)
                    if other is not None and other != app:
                        found.append(f"{path.relative_to(root)}:{node.lineno} imports {other}")
    return found


def test_no_function_level_import_reaches_another_app():
    assert function_level_imports_between_apps() == []


def test_the_scan_finds_a_function_level_import(tmp_path):
    """The check above can fail: a planted import inside a function is found, one in
    the same app or in AppConfig.ready() is not."""
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "planted.py").write_text(
        "import platforms\n\ndef f():\n    from members import models\n"
        "    from platforms.services import x\n",
        encoding="utf-8",
    )
    (tmp_path / "members" / "apps.py").write_text(
        "class C:\n    def ready(self):\n        from notifications import kinds\n",
        encoding="utf-8",
    )

    assert function_level_imports_between_apps(tmp_path) == [
        "members/planted.py:5 imports platforms"
    ]
