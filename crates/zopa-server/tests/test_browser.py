"""zopa serve in a real browser: a person plays a whole negotiation against `boulware` by
clicking, the organiser's live view shows the trace the server stored, two people play each
other from two browser sessions, and no page logs a console error. Screenshots of each page
are saved under target/screenshots."""

import json
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from serve_helpers import api, console_errors, wait_for


def scenario_id(base, name):
    return next(s["id"] for s in api(base, "/api/scenarios")["scenarios"] if s["name"] == name)


def play_turns(driver, accept_from_round=4, limit=60):
    """Plays the seat open in `driver` until the negotiation is over: offers the values shown,
    and accepts an offer on the table from round `accept_from_round` on."""
    status = driver.find_element(By.ID, "status")
    for _ in range(limit * 10):
        if status.get_attribute("data-end"):
            return status.get_attribute("data-end")
        offer = driver.find_element(By.ID, "offer")
        accept = driver.find_element(By.ID, "accept")
        if offer.is_enabled():
            text = status.text
            round_ = int(text.split("round ")[1].split(",")[0]) if "round " in text else 0
            if accept.is_enabled() and round_ >= accept_from_round:
                accept.click()
            else:
                offer.click()
        time.sleep(0.1)
    raise AssertionError("the negotiation did not end")


def test_a_person_plays_against_boulware_by_clicking(server, browser, shot):
    base, _ = server
    d = browser()
    d.get(base + "/")
    assert "genius-job" in d.find_element(By.ID, "scenarios").text
    shot(d, "01-scenarios")
    d.find_element(By.LINK_TEXT, "genius-job").click()
    wait_for(lambda: d.find_elements(By.ID, "start"), what="the scenario page")
    assert "Zone of possible agreement" in d.page_source
    shot(d, "02-scenario")
    seats = d.find_elements(By.CSS_SELECTOR, "select[data-party]")
    assert [s.get_attribute("data-party") for s in seats] == ["candidate", "employer"]
    Select(seats[0]).select_by_value("boulware")
    Select(seats[1]).select_by_value("person")
    rounds = d.find_element(By.ID, "rounds")
    rounds.clear()
    rounds.send_keys("12")
    d.find_element(By.ID, "start").click()
    play = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "a.play-link"), what="the seat's link")[0]
    watch_url = d.find_element(By.ID, "watch-link").get_attribute("href")
    assert not console_errors(d)
    play.click()
    wait_for(lambda: "You are employer" in d.find_element(By.ID, "who").text, what="the settings")
    shot(d, "03-play")
    end = play_turns(d)
    assert end in ("agreement", "deadline"), end
    shot(d, "04-play-over")
    assert not console_errors(d)

    # The organiser's view shows exactly the trace the server stored.
    d.get(watch_url)
    status = wait_for(lambda: d.find_element(By.ID, "status").get_attribute("data-end"), what="the end")
    assert status == end
    shot(d, "05-watch")
    key = watch_url.split("key=")[1]
    nid = watch_url.split("/watch/")[1].split("?")[0]
    stored = api(base, f"/api/negotiations/{nid}?key={key}")
    rows = d.find_elements(By.CSS_SELECTOR, "#trace tr")
    assert len(rows) == len(stored["trace"]) > 2
    for row, event in zip(rows, stored["trace"]):
        cells = row.find_elements(By.TAG_NAME, "td")
        assert (cells[0].text, cells[2].text, cells[3].text) == (str(event["round"]), event["actor"], event["action"])
    assert stored["result"]["end"] == end
    assert stored["result"]["strategies"] == ["boulware", "person:employer"]
    assert not console_errors(d)


def test_two_people_negotiate_from_two_browsers(server, browser, shot):
    base, _ = server
    created = api(base, "/api/negotiations", {
        "scenario": scenario_id(base, "genius-job"),
        "rounds": 10,
        "seats": [{"party": "candidate", "kind": "person"}, {"party": "employer", "kind": "person"}],
    })
    links = [s["play"] for s in created["seats"]]
    a, b = browser(), browser()
    a.get(base + links[0])
    b.get(base + links[1])
    wait_for(lambda: "You are candidate" in a.find_element(By.ID, "who").text, what="A's settings")
    wait_for(lambda: "You are employer" in b.find_element(By.ID, "who").text, what="B's settings")
    # Each sees only its own side: no one else's utility reaches the page.
    assert "employer" not in a.find_element(By.ID, "who").text
    # A offers; B accepts.
    wait_for(lambda: a.find_element(By.ID, "offer").is_enabled(), what="A's turn")
    a.find_element(By.ID, "offer").click()
    wait_for(lambda: b.find_element(By.ID, "accept").is_enabled(), what="B's turn")
    shot(b, "06-classroom-b")
    b.find_element(By.ID, "accept").click()
    for d in (a, b):
        end = wait_for(lambda: d.find_element(By.ID, "status").get_attribute("data-end"), what="the end")
        assert end == "agreement"
        assert not console_errors(d)
    shot(a, "07-classroom-a")
    stored = api(base, f"/api/negotiations/{created['id']}?key={created['key']}")
    assert stored["result"]["end"] == "agreement"
    assert [e["action"] for e in stored["trace"]] == ["offer", "accept"]


def test_the_organisers_view_and_seats_are_guarded(server):
    base, _ = server
    created = api(base, "/api/negotiations", {
        "scenario": scenario_id(base, "genius-job"),
        "rounds": 5,
        "seats": [{"party": "candidate", "kind": "boulware"}, {"party": "employer", "kind": "person"}],
    })
    for path in (f"/api/negotiations/{created['id']}", f"/api/negotiations/{created['id']}?key=wrong",
                 f"/play/{created['id']}/not-a-token"):
        try:
            urllib.request.urlopen(base + path, timeout=5)
            raise AssertionError(f"{path} answered")
        except urllib.error.HTTPError as e:
            assert e.code == 403, (path, e.code)
    job = scenario_id(base, "genius-job")
    two = lambda first: [{"party": "candidate", "kind": first}, {"party": "employer", "kind": "boulware"}]  # noqa: E731
    for bad in ({"scenario": 999, "seats": []}, {"scenario": 0, "protocol": "mediated", "seats": []},
                {"scenario": 0, "seats": [{"party": "nobody"}]},
                {"scenario": job, "seats": two("exec:touch /tmp/zopa-must-not-exist")},
                {"scenario": job, "seats": two("wizard")},
                {"scenario": job, "seats": two("boulware")[:1]},
                {"scenario": job, "rounds": 10**12, "seats": two("linear")},
                {"scenario": job, "rounds": "100", "seats": two("linear")},
                {"scenario": job, "seed": -1, "seats": two("linear")},
                {"scenario": job, "seats": [{"party": "candidate"}, {"party": "employer", "kind": "linear"}]}):
        try:
            api(base, "/api/negotiations", bad)
            raise AssertionError(f"{bad} accepted")
        except urllib.error.HTTPError as e:
            assert e.code == 400
            assert json.loads(e.read())["error"]
    import os
    assert not os.path.exists("/tmp/zopa-must-not-exist")
    # What each refusal says: an exec: seat points to "program"; a body that is no JSON is
    # refused in JSON like every other refusal.
    try:
        api(base, "/api/negotiations", {"scenario": job, "seats": two("exec:python3 agent.py")})
    except urllib.error.HTTPError as e:
        assert "never starts a program" in json.loads(e.read())["error"]
    req = urllib.request.Request(base + "/api/negotiations", data=b"{not json", method="POST",
                                 headers={"content-type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=5)
        raise AssertionError("a body that is no JSON was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400 and json.loads(e.read())["error"]
    # Only this machine's own names are answered (no DNS rebinding).
    req = urllib.request.Request(base + "/api/scenarios", headers={"Host": "evil.example"})
    try:
        urllib.request.urlopen(req, timeout=5)
        raise AssertionError("a foreign Host was answered")
    except urllib.error.HTTPError as e:
        assert e.code == 421


def test_a_stored_trace_replays_step_by_step(server, browser, shot, tmp_path):
    import subprocess
    from serve_helpers import REPO, binary

    base, _ = server
    trace = tmp_path / "trace.jsonl"
    subprocess.run([str(binary()), "run", "scenarios/examples/genius-job", "--negotiators", "boulware,conceder",
                    "--rounds", "20", "--trace", str(trace)], cwd=REPO, check=True, capture_output=True)
    events = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
    d = browser()
    d.get(base + "/")
    d.find_element(By.LINK_TEXT, "replay a stored trace").click()
    wait_for(lambda: d.find_elements(By.ID, "file"), what="the replay page")
    d.find_element(By.ID, "file").send_keys(str(trace))
    status = d.find_element(By.ID, "status")
    wait_for(lambda: status.get_attribute("data-step") == "0", what="the trace to load")
    for _ in range(3):
        d.find_element(By.ID, "next").click()
    assert status.get_attribute("data-step") == "3"
    assert len(d.find_elements(By.CSS_SELECTOR, "#trace tr")) == 3
    d.find_element(By.ID, "previous").click()
    assert len(d.find_elements(By.CSS_SELECTOR, "#trace tr")) == 2
    d.find_element(By.ID, "last").click()
    rows = d.find_elements(By.CSS_SELECTOR, "#trace tr")
    assert len(rows) == len(events)
    assert rows[-1].find_elements(By.TAG_NAME, "td")[3].text == events[-1]["action"]
    shot(d, "08-replay")
    assert not console_errors(d)


def test_what_if_recomputes_the_zopa_and_saves_the_scenario(server, browser, shot):
    base, _ = server
    sid = scenario_id(base, "ukraine-2025")
    before = api(base, f"/api/scenarios/{sid}/what-if", {})
    assert before["zopa"] is True
    after = api(base, f"/api/scenarios/{sid}/what-if", {"reservation": {"Russia": 0.99}})
    assert after["zopa"] is False and after["nash"] is None
    saved = api(base, f"/api/scenarios/{sid}/what-if", {"reservation": {"Russia": 0.5}, "toml": True})
    assert "reservation = 0.5" in saved["toml"]
    bad = [({"weights": {"Russia": {"nowhere": 1}}}, "is not an issue"),
           ({"reservation": {"Russia": 1.5}}, "from 0 to 1"),
           ({"reservation": {"Russia": -0.1}}, "from 0 to 1"),
           ({"weights": {"Russia": {"donetsk-luhansk": 1e308, "nato": 1e308}}}, "more than a number can hold"),
           ({"weights": {"Russia": {"donetsk-luhansk": 1e300}}}, None)]
    for body, says in bad:
        try:
            answer = api(base, f"/api/scenarios/{sid}/what-if", body)
            assert says is None, f"{body} was accepted"
            # An enormous weight is rescaled, never turned into infinities or NaN.
            assert all(0 <= u <= 1 for p in answer["frontier"] for u in p), answer["frontier"][:3]
        except urllib.error.HTTPError as e:
            assert e.code == 400, body
            if says:
                assert says in json.loads(e.read())["error"], body

    d = browser()
    d.get(base + f"/scenario/{sid}")
    slider = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#what-if input[data-party='Russia'][data-kind='reservation']"),
                      what="the what-if sliders")[0]
    d.execute_script("arguments[0].value = 0.99; arguments[0].dispatchEvent(new Event('input'));", slider)
    result = d.find_element(By.ID, "what-if-result")
    wait_for(lambda: result.get_attribute("data-zopa") == "false", what="the recomputed ZOPA")
    assert "recomputed in" in result.text
    shot(d, "09-what-if")
    assert not console_errors(d)


def test_a_tournament_runs_from_its_file_with_progress_and_leaderboard(server, browser, shot):
    base, _ = server
    d = browser()
    d.get(base + "/tournaments")
    d.find_element(By.ID, "tstart").click()
    status = d.find_element(By.ID, "status")
    assert wait_for(lambda: status.get_attribute("data-done"), timeout=120, what="the tournament") == "yes", status.text
    rows = d.find_elements(By.CSS_SELECTOR, "#board tr")
    strategies = {r.find_elements(By.TAG_NAME, "td")[0].text for r in rows[1:]}
    assert strategies == {"boulware", "conceder:e=3", "linear", "micro", "tit-for-tat"}, strategies
    assert "negotiations" in status.text and "done" in status.text
    shot(d, "10-tournament")
    assert not console_errors(d)
    try:
        api(base, "/api/tournaments", {"file": "no/such.toml"})
        raise AssertionError("a missing file was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400


def test_a_tournaments_stored_negotiation_replays(server, browser, shot, tmp_path):
    from serve_helpers import REPO

    base, _ = server
    file = tmp_path / "stored.toml"
    file.write_text(
        "seed = 1\nrepetitions = 1\nrounds = 20\nstore_traces = true\n"
        f"scenarios = [\"{REPO / 'scenarios/examples/genius-job'}\"]\n"
        "strategies = [\"boulware\", \"linear\"]\n"
    )
    d = browser()
    d.get(base + "/tournaments")
    box = d.find_element(By.ID, "tfile")
    box.clear()
    box.send_keys(str(file))
    d.find_element(By.ID, "tstart").click()
    links = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "a.replay-link"), timeout=60, what="the negotiations")
    assert len(links) == 2  # one pairing, in both roles (rotate_roles defaults to true)
    links[0].click()
    status = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#status[data-step]"), what="the stored trace")[0]
    d.find_element(By.ID, "last").click()
    assert len(d.find_elements(By.CSS_SELECTOR, "#trace tr")) > 2
    assert status.get_attribute("data-step") != "0"
    shot(d, "11-tournament-replay")
    assert not console_errors(d)


def answer_ballots(driver, limit=120):
    """Votes yes on every text put to the seat open in `driver` and accepts every draft on the
    table, until the negotiation is over; returns (end, yes votes clicked)."""
    status = driver.find_element(By.ID, "status")
    yes = 0
    for _ in range(limit * 10):
        if status.get_attribute("data-end"):
            return status.get_attribute("data-end"), yes
        ballot = driver.find_element(By.ID, "ballot")
        accept = driver.find_element(By.ID, "accept")
        if ballot.is_displayed():
            driver.find_element(By.ID, "vote-yes").click()
            yes += 1
        elif accept.is_enabled():
            accept.click()
        time.sleep(0.1)
    raise AssertionError("the negotiation did not end")


def test_a_person_votes_on_a_mediators_texts_by_clicking(server, browser, shot):
    base, _ = server
    d = browser()
    d.get(base + f"/scenario/{scenario_id(base, 'genius-job')}")
    wait_for(lambda: d.find_elements(By.ID, "start"), what="the scenario page")
    Select(d.find_element(By.ID, "protocol")).select_by_value("mediated")
    assert d.find_element(By.ID, "mediator").is_displayed()
    seats = d.find_elements(By.CSS_SELECTOR, "select[data-party]")
    # Only voters sit at a single-text table: the form offers no negotiator there.
    offered = [o.get_attribute("value") for o in seats[0].find_elements(By.TAG_NAME, "option") if o.is_enabled() and o.get_attribute("hidden") is None]
    assert "hill-climber" in offered and "boulware" not in offered, offered
    Select(seats[0]).select_by_value("hill-climber")
    Select(seats[1]).select_by_value("person")
    d.find_element(By.ID, "start").click()
    play = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "a.play-link"), what="the seat's link")[0]
    watch_url = d.find_element(By.ID, "watch-link").get_attribute("href")
    play.click()
    wait_for(lambda: d.find_element(By.ID, "ballot").is_displayed(), what="the first text")
    assert "The mediator proposes" in d.find_element(By.ID, "ballot-text").text
    shot(d, "10-vote")
    end, yes = answer_ballots(d)
    assert end == "agreement", end
    assert "worth" in d.find_element(By.ID, "status").text or end
    assert not console_errors(d)
    key = watch_url.split("key=")[1]
    nid = watch_url.split("/watch/")[1].split("?")[0]
    stored = api(base, f"/api/negotiations/{nid}?key={key}")
    mine = [e for e in stored["trace"] if e["actor"] == "employer"]
    assert sum(e["action"] in ("vote-accept", "ratify") for e in mine) == yes
    assert stored["result"]["strategies"] == ["hill-climber", "person:employer"]
    d.get(watch_url)
    wait_for(lambda: d.find_element(By.ID, "status").get_attribute("data-end"), what="the end")
    shot(d, "11-watch-mediated")
    assert not console_errors(d)


def test_a_person_on_a_shuttle_route_accepts_drafts_and_signs(server, browser, shot):
    base, _ = server
    created = api(base, "/api/negotiations", {
        "scenario": scenario_id(base, "genius-job"), "protocol": "shuttle", "mediator": "bargaining",
        "rounds": 20,
        "seats": [{"party": "candidate", "kind": "boulware"}, {"party": "employer", "kind": "person"}],
    })
    d = browser()
    d.get(base + created["seats"][1]["play"])
    wait_for(lambda: "The mediator's draft" in d.find_element(By.ID, "standing").text, what="a draft")
    shot(d, "12-shuttle-draft")
    end, yes = answer_ballots(d)
    assert end == "agreement", end
    assert yes == 1, "one final vote"
    stored = api(base, f"/api/negotiations/{created['id']}?key={created['key']}")
    ratified = [e for e in stored["trace"] if e["action"] == "ratify" and e["actor"] == "employer"]
    assert [e["note"] for e in ratified] == ["yes"]
    assert not console_errors(d)


def test_a_person_who_reloads_the_page_takes_the_seat_again(server, browser, shot):
    base, _ = server
    created = api(base, "/api/negotiations", {
        "scenario": scenario_id(base, "genius-job"), "protocol": "mediated", "rounds": 20,
        "seats": [{"party": "candidate", "kind": "hill-climber"}, {"party": "employer", "kind": "person"}],
    })
    d = browser()
    d.get(base + created["seats"][1]["play"])
    wait_for(lambda: d.find_element(By.ID, "ballot").is_displayed(), what="the first text")
    d.find_element(By.ID, "vote-yes").click()
    wait_for(lambda: d.find_element(By.ID, "ballot").is_displayed(), what="the second text")
    asked = d.find_element(By.ID, "ballot-text").text
    d.refresh()  # the text still waits for this seat's vote
    wait_for(lambda: d.find_element(By.ID, "ballot").is_displayed(), what="the text again after the reload")
    assert d.find_element(By.ID, "ballot-text").text == asked
    assert "You are employer" in d.find_element(By.ID, "who").text
    end, _ = answer_ballots(d)
    assert end == "agreement", end
    assert not console_errors(d)
    stored = api(base, f"/api/negotiations/{created['id']}?key={created['key']}")
    assert stored["result"]["end"] == "agreement" and stored["result"]["error"] is None


def test_variants_in_a_scenario_folder_are_listed(server):
    base, _ = server
    names = [s["name"] for s in api(base, "/api/scenarios")["scenarios"]]
    assert "ukraine-2025" in names and "ukraine-2025-europe-at-table" in names, names
