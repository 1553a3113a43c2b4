"""The console in a real headless browser (Debian's chromium through Selenium) on the demo
data: type a query with a parameter, see it highlighted, run it with Ctrl+Enter, see the
table, the graph and the JSON, download the CSV the server answers, reopen the permalink,
see an engine error with its position, and run a stored query from its page."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.app import create_app
from tests.conftest import fresh_store, live_server
from tests.demo import load_demo
from tests.test_browser import wait

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402

SIMONYAN = "name:karen simonyan"
QUERY = ("MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(b:Author)\n"
         "RETURN a, e, b ORDER BY e.weight DESC, b.id LIMIT 5")
HOSTILE = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("console-browser")
    with fresh_store("ladybug", folder) as store:
        load_demo(store)
    with live_server(create_app(db_path=str(folder / "graph.lbdb"), neo4j_uri="")) as url:
        yield url


def result_rows(browser) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "#result-table tbody tr")]


def answered(browser) -> bool:
    return browser.execute_script(
        "const r = window.consoleResult; return !!(r && (r.payload || r.error));")


def run_typed(browser, text: str) -> None:
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(text)
    browser.execute_script("window.consoleResult = null;")


def saved_file(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), list(tmp_path.iterdir())
    return target


def test_type_run_and_see_table_graph_and_json_then_download_csv(console_server, browser,
                                                                 tmp_path: Path):
    browser.get(console_server + "/cypher")
    run_typed(browser, QUERY)
    kinds = browser.execute_script(
        "return [...document.querySelectorAll('#editor-highlight span')]"
        ".map((s) => s.className + ':' + s.textContent);")
    assert "cy-keyword:MATCH" in kinds and "cy-param:$id" in kinds and "cy-label:Author" in kinds
    field = wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-param=id]")))
    field.send_keys(SIMONYAN)
    browser.find_element(By.ID, "query").send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, answered)
    rows = result_rows(browser)
    assert len(rows) == 5 and all("Karen Simonyan" in row[0] for row in rows)
    assert "5 rows" in browser.find_element(By.ID, "result-status").text
    # The graph: the researcher and five co-authors, drawn.
    browser.find_element(By.ID, "tab-button-graph").click()
    wait(browser, lambda b: b.execute_script("return !!window.consoleResult.graph"))
    sizes = browser.execute_script(
        "const g = window.consoleResult.graph; return [g.nodes.length, g.edges.length];")
    assert sizes == [6, 5]
    wait(browser, lambda b: b.execute_script("""
        const canvas = document.querySelector('#result-graph canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
        return false;"""))
    legend = browser.find_element(By.ID, "result-graph-legend").text
    assert "Author" in legend
    browser.find_element(By.ID, "tab-button-json").click()
    assert '"COAUTHORED_WITH"' in browser.find_element(By.ID, "result-json").text
    # Download the CSV: an attachment the server answers, saved by the browser.
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.ID, "download-csv").click()
    target = saved_file(tmp_path, "query.csv")
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert table[0] == ["a", "e", "b"] and len(table) == 6
    assert '"name":"Karen Simonyan"' in table[1][0]


def test_the_permalink_reopens_and_runs_the_query(console_server, browser):
    browser.get(console_server + "/cypher")
    run_typed(browser, QUERY)
    wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-param=id]"))
         ).send_keys(SIMONYAN)
    browser.find_element(By.ID, "run").click()
    wait(browser, answered)
    link = browser.find_element(By.ID, "permalink").get_attribute("href")
    assert "query=" in link and "params=" in link
    browser.get(link)
    wait(browser, answered)
    assert len(result_rows(browser)) == 5
    assert browser.find_element(By.CSS_SELECTOR, "[data-param=id]").get_attribute(
        "value") == SIMONYAN


def test_an_engine_error_shows_its_message_and_position(console_server, browser):
    browser.get(console_server + "/cypher")
    run_typed(browser, "MATCH (a:Author)\nRETRN a")
    browser.find_element(By.ID, "run").click()
    wait(browser, answered)
    error = browser.find_element(By.ID, "result-error")
    assert error.is_displayed() and "line: 2" in error.text
    assert browser.execute_script("return document.getElementById('query').selectionStart") \
        == len("MATCH (a:Author)\n")
    run_typed(browser, "LOAD FROM '/etc/passwd' RETURN *")
    browser.find_element(By.ID, "run").click()
    wait(browser, answered)
    assert "reading or writing files is not offered" in browser.find_element(
        By.ID, "result-error").text


def test_values_stay_text_and_cuts_are_announced(console_server, browser):
    browser.get(console_server + "/cypher")
    run_typed(browser, f"UNWIND range(1, 20) AS i RETURN i, '{HOSTILE}' AS html")
    browser.find_element(By.NAME, "max_rows").send_keys("3")
    browser.find_element(By.ID, "run").click()
    wait(browser, answered)
    rows = result_rows(browser)
    assert len(rows) == 3 and rows[0][1] == HOSTILE
    assert browser.execute_script("return window.__pwned === undefined")
    assert "stopped at 3 rows" in browser.find_element(By.ID, "result-notices").text


def test_a_stored_query_runs_from_its_page(console_server, browser):
    browser.get(console_server + "/queries/author_profile?id=" + SIMONYAN)
    wait(browser, answered)
    rows = result_rows(browser)
    assert rows and rows[0][1] == "Karen Simonyan"
    assert "format=csv" in browser.find_element(By.ID, "query-csv").get_attribute("href")
    source = browser.find_elements(By.CSS_SELECTOR, "#query-source .cy-keyword")
    assert "MATCH" in [s.text for s in source]


SLOW = "MATCH p = (a:Author)-[:COAUTHORED_WITH*1..6]-(b:Author) RETURN count(p)"


def test_downloads_show_errors_here_and_say_when_the_file_is_cut(console_server, browser,
                                                                 tmp_path: Path):
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(console_server + "/cypher")
    run_typed(browser, "MATCH (a:Author) SET a.name = 'x' RETURN a")
    browser.find_element(By.ID, "download-csv").click()
    error = wait(browser, EC.visibility_of_element_located((By.ID, "result-error")))
    assert "write" in error.text
    assert browser.current_url.endswith("/cypher"), "the console stays where it was"
    assert browser.find_element(By.ID, "query").get_attribute("value").startswith("MATCH")
    # A new run hides the last error while it runs, and Run waits for it.
    run_typed(browser, SLOW)
    browser.find_element(By.NAME, "timeout_ms").send_keys("300")
    browser.find_element(By.ID, "run").click()
    assert browser.execute_script(
        "return [document.getElementById('result-error').hidden,"
        " document.getElementById('run').disabled]") == [True, True]
    wait(browser, answered)
    wait(browser, lambda b: not b.find_element(By.ID, "run").get_attribute("disabled"))
    # A download that the time limit cut short says so.
    browser.find_element(By.ID, "download-csv").click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "result-status"), "saved"))
    assert "time limit" in browser.find_element(By.ID, "result-notices").text
    assert "incomplete" in browser.find_element(By.ID, "result-status").text
    saved_file(tmp_path, "query.csv").unlink()
    # So does one that the row limit cut, and the file has those rows.
    run_typed(browser, "UNWIND range(1, 20) AS i RETURN i")
    browser.find_element(By.NAME, "timeout_ms").clear()
    browser.find_element(By.NAME, "max_rows").send_keys("3")
    browser.find_element(By.ID, "download-json").click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "result-status"), "3 rows"))
    assert "cut at 3 rows" in browser.find_element(By.ID, "result-notices").text
    assert len(json.loads(saved_file(tmp_path, "query.json").read_text())["rows"]) == 3
