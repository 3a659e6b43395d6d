"""The engine imports nothing outside the standard library (app/engine/README.md)."""

import subprocess
import sys
import textwrap


def test_engine_imports_only_the_standard_library() -> None:
    script = textwrap.dedent("""
        import sys
        before = set(sys.modules)
        import app.engine, app.engine.operations, app.engine.templates, app.engine.instance_view
        loaded = {name.split(".")[0] for name in set(sys.modules) - before}
        foreign = sorted(n for n in loaded - {"app"} if n not in sys.stdlib_module_names)
        print(",".join(foreign))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"engine imported non-stdlib modules: {result.stdout}"


def test_engine_source_names_no_web_or_database_library() -> None:
    from pathlib import Path

    import app.engine

    root = Path(app.engine.__file__).parent
    banned = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "jinja2", "pydantic", "httpx")
    for path in root.rglob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert not any(
                    f" {name}" in stripped or f" {name}." in stripped for name in banned
                ), f"{path}: {stripped}"
