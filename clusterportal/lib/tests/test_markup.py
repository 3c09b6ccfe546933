from clusterportal.lib.markup import plain_text, render_markdown


def test_markdown_becomes_html_with_headings_below_the_page_title():
    html = render_markdown("# Titel\n\n**fett** und *kursiv*\n\n- eins\n- zwei")
    assert html == (
        "<h2>Titel</h2>\n<p><strong>fett</strong> und <em>kursiv</em></p>\n"
        "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n"
    )


def test_scripts_and_iframes_written_as_html_stay_text():
    html = render_markdown('<script>alert(1)</script>\n\n<iframe src="https://x.example"></iframe>')
    assert "<script" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_stay_inert_text():
    html = render_markdown("[klick](javascript:alert(1)) [ok](https://wm.baden-wuerttemberg.de/)")
    assert 'href="javascript' not in html
    assert "<p>[klick](javascript:alert(1)) " in html
    assert '<a href="https://wm.baden-wuerttemberg.de/" rel="noopener noreferrer">ok</a>' in html


def test_images_are_dropped_from_the_body():
    assert "<img" not in render_markdown("![Logo](https://tracker.example/pixel.png)")


def test_plain_text_has_no_markup():
    assert (
        plain_text("## Cluster-Forum\n\nRund **400** Teilnehmer")
        == "Cluster-Forum\nRund 400 Teilnehmer"
    )


def test_a_table_scrolls_in_a_focusable_box_of_its_own():
    html = render_markdown("| Jahr | Teilnehmende |\n|---|---|\n| 2016 | 400 |")
    assert html.startswith(
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Tabelle"><table>'
    )
    assert html.rstrip().endswith("</table></div>")
    assert "<td>400</td>" in html


def test_a_table_cannot_be_opened_by_text_that_looks_like_one():
    html = render_markdown("`<table>` und <table> als Text")
    assert "table-scroll" not in html and "&lt;table&gt;" in html
