"""childsafe: an open-source, self-hostable child-safety engine.

Library first: everything the CLI and the HTTP service do is reachable from here.
"""

__version__ = "0.1.0"

from childsafe.errors import ChildsafeError, InvalidInput, NotFound, Conflict  # noqa: E402

__all__ = ["__version__", "ChildsafeError", "InvalidInput", "NotFound", "Conflict"]
