import subprocess
import sys

MODULES = [
    "model",
    "errors",
    "atomic",
    "storage",
    "database",
    "store",
    "editing",
    "anchoring",
    "reanchor",
    "export",
    "entity_corrections",
]


def test_annotations_never_import_textual() -> None:
    # A fresh interpreter, so textual imported by other tests cannot hide a stray import.
    imports = "; ".join(f"import annotations.{name}" for name in MODULES)
    code = f"import sys; {imports}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
