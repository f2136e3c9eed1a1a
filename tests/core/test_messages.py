"""Every message a user can read is translatable: no string literal goes straight into a
ValidationError, ImportRefused, PermissionDenied or a flash message without gettext."""

import ast
from pathlib import Path

import openveiligheid

SOURCE = Path(openveiligheid.__file__).resolve().parent

# Modules left out of the check; a new entry here needs a reason.
NOT_YET_CHECKED = ()

TRANSLATORS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "format_lazy",
}
MESSAGE_FUNCTIONS = {"error", "success", "info", "warning", "add_message"}


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return f"{owner}.{func.attr}"
    return ""


def message_arguments(node: ast.Call) -> list[ast.expr]:
    """The arguments of a call that carry text a user reads, or nothing for other calls."""
    name = call_name(node)
    short = name.rpartition(".")[2]
    if short.endswith("ValidationError") or short in {"ImportRefused", "PermissionDenied"}:
        positional = node.args[:1]
        keywords = [k.value for k in node.keywords if k.arg in {"message", "detail"}]
        return positional + keywords
    if name.startswith("messages.") and short in MESSAGE_FUNCTIONS:
        # messages.error(request, message); add_message(request, level, message)
        index = 2 if short == "add_message" else 1
        positional = node.args[index : index + 1]
        return positional + [k.value for k in node.keywords if k.arg == "message"]
    return []


def untranslated(node: ast.expr) -> bool:
    """A literal (or f-string, or formatted literal) that reaches the user without gettext;
    dicts and lists of messages are searched too."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.strip() != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return untranslated(node.left)
    if isinstance(node, ast.Call):
        if call_name(node).rpartition(".")[2] in TRANSLATORS:
            return False
        func = node.func
        is_format = isinstance(func, ast.Attribute) and func.attr == "format"
        return is_format and untranslated(func.value)
    if isinstance(node, ast.Dict):
        return any(untranslated(value) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(untranslated(element) for element in node.elts)
    return False


def offenders(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for argument in message_arguments(node):
                if untranslated(argument):
                    found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {call_name(node)}")
    return found


def checked_files():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in relative or relative.startswith(NOT_YET_CHECKED):
            continue
        yield path


def test_no_untranslated_user_facing_message():
    found = [offence for path in checked_files() for offence in offenders(path)]
    assert not found, "Wrap these messages in gettext:\n" + "\n".join(found)


def test_the_check_finds_literals_and_accepts_gettext():
    source = """
raise ValidationError("Kapot.")
raise serializers.ValidationError({"veld": [f"Fout {x}."]})
messages.error(request, "Mislukt.")
raise PermissionDenied("Geen toegang.")
raise ImportRefused("Bestand %s onleesbaar." % name)
raise ValidationError(_("Goed."))
raise ValidationError({"veld": _("Goed %(x)s.") % {"x": x}})
messages.success(request, gettext("Opgeslagen."))
raise PermissionDenied
"""
    tree = ast.parse(source)
    flagged = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and any(map(untranslated, message_arguments(node)))
    ]
    assert sorted(flagged) == [2, 3, 4, 5, 6]
