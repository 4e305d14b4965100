"""``python -m wlsim report|export ...``: the Python commands of wlsim (the C++ ``wlsim report`` and
``wlsim export`` hand over here). The other commands are the C++ ``wlsim``'s own."""

from __future__ import annotations

import sys

COMMANDS = ("report", "export")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        given = f"unknown command '{argv[0]}'" if argv else "missing command"
        print(f"wlsim: {given} (python -m wlsim runs: {', '.join(COMMANDS)}; the others are the "
              "wlsim command's)", file=sys.stderr)
        return 2
    if argv[0] == "export":
        from wlsim import store

        return store.main(argv[1:])
    from wlsim import report

    return report.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
