"""The browser helpers measure what they say: a page wider than a phone is caught at a true 420 px, a page that
fits is not, even when a script holds the text '</body>'."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_overflow_is_measured_at_the_width_asked(tmp_path, chromium):
    from tests.browser import overflow_px

    wide = tmp_path / "wide.html"
    wide.write_text('<html><body style="margin:0"><div style="width:600px">x</div></body></html>')
    fits = tmp_path / "fits.html"
    fits.write_text('<html><body><p>x</p><script>var s = "</body>";</script></body></html>')
    assert overflow_px(wide, width=420) == 180
    assert overflow_px(wide, width=1600) == 0
    assert overflow_px(fits, width=420) == 0
