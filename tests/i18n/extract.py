"""The translatable strings of the resident-facing sources, without xgettext.

Templates go through Django's own ``templatize`` (what ``makemessages`` feeds to
xgettext), Python files through ``ast``. Each string is ``(context, msgid,
plural)`` with the file it came from.
"""

import ast
import io
import tokenize
from pathlib import Path

from django.utils.translation.template import templatize

from .sources import RESIDENT_PYTHON, RESIDENT_TEMPLATES

ROOT = Path(__file__).resolve().parents[2]

#: gettext function name -> (index of context, index of msgid, index of plural).
FUNCTIONS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _files(sources, suffixes):
    for source in sources:
        path = ROOT / source
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes
            )
        elif path.exists():
            yield path


def _message(name, args):
    context_at, msgid_at, plural_at = FUNCTIONS[name]
    try:
        context = None if context_at is None else args[context_at]
        msgid = args[msgid_at]
        plural = None if plural_at is None else args[plural_at]
    except IndexError:
        return None
    if not isinstance(msgid, str) or not msgid:
        return None
    if context is not None and not isinstance(context, str):
        return None
    if plural is not None and not isinstance(plural, str):
        return None
    return (context, msgid, plural)


def python_messages(path):
    """The gettext calls with literal strings in a Python file."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in FUNCTIONS:
            continue
        args = [a.value if isinstance(a, ast.Constant) else object() for a in node.args]
        message = _message(name, args)
        if message:
            yield message


def template_messages(path):
    """The translate, blocktranslate and ``_()`` strings of a template."""
    source = templatize(Path(path).read_text(encoding="utf-8"), origin=str(path))
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in FUNCTIONS:
            continue
        if index + 1 >= len(tokens) or tokens[index + 1].string != "(":
            continue
        args, current, depth = [], [], 0
        for inner in tokens[index + 2 :]:
            if inner.string == "(":
                depth += 1
            elif inner.string == ")" and depth:
                depth -= 1
            elif inner.string in (",", ")") and not depth:
                args.append(current)
                current = []
                if inner.string == ")":
                    break
                continue
            current.append(inner)
        values = []
        for parts in args:
            if parts and all(p.type == tokenize.STRING for p in parts):
                values.append("".join(ast.literal_eval(p.string) for p in parts))
            else:
                values.append(object())
        message = _message(token.string, values)
        if message:
            yield message


def resident_messages():
    """``{(context, msgid, plural): [files]}`` over every resident-facing source."""
    found = {}
    for path in _files(RESIDENT_TEMPLATES, {".html", ".txt"}):
        for message in template_messages(path):
            found.setdefault(message, []).append(str(path.relative_to(ROOT)))
    for path in _files(RESIDENT_PYTHON, {".py"}):
        for message in python_messages(path):
            found.setdefault(message, []).append(str(path.relative_to(ROOT)))
    return found
