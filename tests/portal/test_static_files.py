"""Every file a stylesheet points at is shipped, so collectstatic with the manifest
storage of production (WhiteNoise's CompressedManifestStaticFilesStorage) succeeds.

The manifest storage refuses a CSS file whose ``url()`` or ``@import`` names a file that
is not collected; then collectstatic fails and production serves no page at all. The
full production collectstatic runs in the smoke stage of ``.ci/run``
(``tests/smoke/test_production.py``); this test finds the same fault in a second.
"""

import posixpath
import re

from django.contrib.staticfiles import finders

URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)|@import\s+(['"])(?P<import>[^'"]+)\3"""
)


def stylesheets():
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if path.endswith(".css"):
                with storage.open(path) as handle:
                    css = handle.read().decode("utf-8", errors="replace")
                prefix = getattr(storage, "prefix", None)
                yield posixpath.join(prefix, path) if prefix else path, css


def references(path, css):
    for match in URL.finditer(css):
        url = (match.group("url") or match.group("import")).strip()
        if url.startswith(("data:", "http:", "https:", "//", "#", "/", "%23")):
            continue
        url = url.split("#", 1)[0].split("?", 1)[0]
        if url:
            yield url, posixpath.normpath(posixpath.join(posixpath.dirname(path), url))


def test_every_file_a_stylesheet_references_is_shipped():
    """Each relative url() and @import in every collected stylesheet (ours, the
    Utrecht design system's, Wagtail's and Django's) resolves to a file a static
    finder serves."""
    missing = []
    checked = 0
    for path, css in stylesheets():
        for url, target in references(path, css):
            checked += 1
            if finders.find(target) is None:
                missing.append(f"{path}: {url}")
    assert checked > 20
    assert missing == []


def test_the_design_tokens_icons_are_ours():
    """The tokens' background-image-icon.css names icons the npm package does not
    ship (they are proprietary); the portal ships its own drawings under those names."""
    css = finders.find("utrecht/design-tokens/background-image-icon.css")
    assert css is not None
    for name in (
        "pijltje.svg",
        "pijltje-zwart.svg",
        "pijltje-wit.svg",
        "icoon-zoek-rood.svg",
        "arrow-dropdown.svg",
    ):
        found = finders.find(f"utrecht/design-tokens/{name}")
        assert found is not None, name
        assert "/static/utrecht/design-tokens/" in str(found)
