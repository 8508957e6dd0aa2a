"""Read a rendered form the way a browser sends it, so a test can post back exactly
what a page shows: the values of its inputs, the checked boxes and radios, the selected
options and the text of its text areas, plus the button that was pressed."""

from bs4 import BeautifulSoup

NOT_SENT = {"submit", "button", "image", "reset", "file"}


def _form(html, button_name="action"):
    """The page's main form: the POST form with the named submit buttons, or else
    (an admin form with plain buttons) the POST form with the most fields."""
    soup = BeautifulSoup(html, "html.parser")
    posts = [
        form
        for form in soup.find_all("form")
        if (form.get("method") or "get").lower() == "post"
    ]
    named = {"type": "submit", "name": button_name}
    for form in posts:
        if form.find(["button", "input"], attrs=named):
            return form
    if not posts:
        raise AssertionError("The page has no POST form")
    return max(posts, key=lambda form: len(form.find_all(["input", "select"])))


def submit_buttons(html, button_name="action"):
    """The values of the form's submit buttons, in the order of the page."""
    form = _form(html, button_name)
    return [
        button.get("value", "")
        for button in form.find_all(["button", "input"], attrs={"name": button_name})
        if (button.get("type") or "submit").lower() == "submit"
    ]


def form_data(html, button=None, button_name="action"):
    """What the browser posts for this form when ``button`` is pressed.

    Returns a dict of lists (every name as often as the browser would send it).
    """
    form = _form(html, button_name)
    data = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "input":
            kind = (element.get("type") or "text").lower()
            if kind in NOT_SENT:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    add(name, element.get("value", "on"))
                continue
            add(name, element.get("value", ""))
        elif element.name == "textarea":
            text = element.get_text()
            # A browser drops one newline straight after <textarea>.
            add(name, text[1:] if text.startswith("\n") else text)
        else:
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = options[:1]
            for option in chosen:
                value = option.get("value")
                add(name, option.get_text() if value is None else value)
    if button is not None:
        add(button_name, button)
    return data


def with_values(data, **changes):
    """``data`` with some fields replaced (a value, or a list for several)."""
    changed = {name: list(values) for name, values in data.items()}
    for name, value in changes.items():
        changed[name] = value if isinstance(value, list) else [value]
    return changed
