import subprocess
import sys

import childsafe
from childsafe.errors import ChildsafeError, InvalidInput


def test_package_imports_and_has_version():
    assert childsafe.__version__


def test_invalid_input_has_stable_code_and_message():
    err = InvalidInput("line 3: bad hash")
    assert isinstance(err, ChildsafeError)
    assert err.code == "invalid_input" and str(err) == "line 3: bad hash"


def test_cli_help_runs():
    out = subprocess.run([sys.executable, "-m", "childsafe", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "childsafe" in out.stdout
