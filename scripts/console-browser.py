#!/usr/bin/env python3
"""Drives the consoles of two connectors in a real headless Chromium through chromedriver (Selenium), as the people
of issue 12 would: the provider's operator logs in, moves between the pages with keyboard and links, switches the
language; the provider's steward publishes a dataset with a region policy through the form, after a preview in
words; a form without its CSRF token is refused; the provider's auditor cannot publish. The consumer negotiates and
finds the dataset in its console's Katalog and negotiates it there, then fetches it (through its management API: the
console has no download button); the consumer's auditor then
sees the contract with its remaining uses, downloads its evidence bundle and verifies it in the console. The provider's
public transparency page then shows the contract (partner, purpose, transfers) and its terms in plain German and
English, and no secret of either connector. With --axe,
axe-core checks every page against WCAG 2.0/2.1 A and AA (zero violations, so zero serious or critical ones); with
--screenshots DIR, each page is saved as a PNG for docs/console.md. Started by ConsoleBrowserTests; prints one line
per step, exits 1 on the first failure.

usage: console-browser.py SETUP_JSON [--axe AXE_MIN_JS] [--screenshots DIR]
SETUP_JSON: {"provider": URL, "consumer": URL, "providerId": ID, "accounts": {"provider"|"consumer": {ROLE: [NAME, SECRET]}},
             "file": DATA_FILE, "consumerToken": TOKEN, "work": DIR, "public": URL, "consumerName": NAME,
             "secrets": [TEXT, ...]}
"""
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait


def fail(message):
    print("FAIL " + message, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("ok   " + message, flush=True)


class Console:
    def __init__(self, driver, axe_source, screenshots):
        self.driver = driver
        self.axe_source = axe_source
        self.screenshots = screenshots

    def submit(self, element):
        """Clicks a button or link and waits (at most 10 s) until the next page replaced this one."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_):
            try:
                old.tag_name
                return False
            except Exception:
                return True
        WebDriverWait(self.driver, 10).until(replaced)

    def h1(self):
        return self.driver.find_element(By.TAG_NAME, "h1").text

    def axe(self, page):
        if not self.axe_source:
            return
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            # An older axe-core (as bundled by axe-selenium-python 2.x) has no WCAG 2.1 tags yet: use those it knows.
            "var tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'].filter(function (t) { return axe.getRules([t]).length > 0; });"
            "axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });")
        if "error" in result:
            fail("axe-core on %s: %s" % (page, result["error"]))
        violations = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        check(not violations, "axe-core %s on %s: %s passed, %s" % (
            self.driver.execute_script("return axe.version"), page, len(result["passes"]), violations or "no violations"))

    def shot(self, name):
        if not self.screenshots:
            return
        # The whole page from its top: as tall as its content, at most 4000 px.
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.set_window_size(1100, 900)
        height = min(4000, self.driver.execute_script("return document.documentElement.scrollHeight"))
        # The window's frame takes some of its height: leave room so the page's end is in the picture.
        self.driver.set_window_size(1100, max(700, height + 160))
        self.driver.save_screenshot(os.path.join(self.screenshots, name + ".png"))
        self.driver.set_window_size(1100, 900)
        print("ok   screenshot " + name, flush=True)

    def login(self, base, account, secret):
        self.driver.get(base + "/console/login")
        self.driver.find_element(By.ID, "account").send_keys(account)
        self.driver.find_element(By.ID, "secret").send_keys(secret)
        self.submit(self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        check(self.h1() == "Übersicht", "%s logs in at %s" % (account, base))

    def logout(self):
        self.submit(self.driver.find_element(By.XPATH, "//nav//button[@type='submit']"))


def api(base, token, method, path, body=None, timeout=30, lines=False):
    """A management API call as the consumer's operator; the JSON answer, or with `lines` its JSON lines."""
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
        return [json.loads(line) for line in text.splitlines() if line.strip()] if lines else json.loads(text or b"null")


def poll(what, read, done, seconds=30):
    deadline = time.time() + seconds
    value = read()
    while not done(value):
        if time.time() > deadline:
            fail("%s did not happen within %d s: %s" % (what, seconds, value))
        time.sleep(0.2)
        value = read()
    return value


def operator_tour(console, base, account, secret):
    driver = console.driver
    driver.get(base + "/console/")
    check(driver.current_url.endswith("/console/login"), "without a session the console shows the login page")
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de", "German by default")
    console.axe("login")
    console.shot("login")
    driver.find_element(By.ID, "account").send_keys(account)
    driver.find_element(By.ID, "secret").send_keys(secret + "x")
    console.submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    check("Kontoname oder Geheimnis stimmt nicht" in driver.page_source, "a wrong secret is refused")
    driver.find_element(By.ID, "account").send_keys(account)
    driver.find_element(By.ID, "secret").send_keys(secret)
    console.submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    check(console.h1() == "Übersicht", "after login the overview is shown")
    check("Braucht Aufmerksamkeit" in driver.page_source, "the overview has its needs-attention list")
    # The skip link is the first stop of the keyboard and leads to the content.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    check(active.get_attribute("class") == "skip" and active.is_displayed(), "the skip link is first and visible on focus")
    console.axe("Übersicht")
    console.shot("uebersicht")
    for link, heading, shot in [("Datensätze", "Datensätze", "datensaetze"), ("Katalog", "Katalog", None),
                                ("Verhandlungen und Verträge", "Verhandlungen und Verträge", None),
                                ("Übertragungen", "Übertragungen", None), ("Föderation", "Föderation", "foederation"),
                                ("Protokoll", "Protokoll", None), ("Konten", "Konten", "konten")]:
        console.submit(driver.find_element(By.LINK_TEXT, link))
        check(console.h1() == heading, "the link %s opens its page" % link)
        console.axe(heading)
        if shot:
            console.shot(shot)
    console.submit(driver.find_element(By.LINK_TEXT, "English"))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "English on request")
    console.axe("Accounts (English)")
    console.submit(driver.find_element(By.LINK_TEXT, "Overview"))
    check(console.h1() == "Overview", "the language stays English (cookie)")
    console.submit(driver.find_element(By.LINK_TEXT, "Deutsch"))
    check(console.h1() == "Übersicht", "back to German")
    console.logout()
    check("Sie sind abgemeldet." in driver.page_source, "logout")
    driver.get(base + "/console/")
    check(driver.current_url.endswith("/console/login"), "after logout the session is gone")


def steward_publishes(console, base, account, secret, data_file):
    driver = console.driver
    console.login(base, account, secret)
    console.submit(driver.find_element(By.LINK_TEXT, "Datensätze"))
    console.submit(driver.find_element(By.LINK_TEXT, "Datensatz veröffentlichen"))
    check(console.h1() == "Datensatz veröffentlichen", "the steward opens the publish form")
    console.axe("publish form")
    fields = {"f-title": "Parkhausbelegung Jena", "f-description": "Freie Plätze je Parkhaus, alle 15 Minuten.",
              "f-keywords": "Parken, Verkehr", "f-contactName": "Stadt Jena, Open Data",
              "f-contactEmail": "opendata@example.org", "f-file": data_file, "f-regions": "16",
              "f-count": "2", "f-purposes": "Verkehrsplanung"}
    for element_id, value in fields.items():
        driver.find_element(By.ID, element_id).send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "input[name=themes][value=TRAN]").click()
    driver.find_element(By.ID, "f-transparency").click()
    Select(driver.find_element(By.ID, "f-license")).select_by_value("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    console.submit(driver.find_element(By.CSS_SELECTOR, "button[name=step][value=preview]"))
    preview = driver.find_element(By.ID, "vorschau").find_element(By.XPATH, "..").text
    check("mit 16 beginnt" in preview and "höchstens 2 Übertragungen" in preview and "Verkehrsplanung" in preview,
          "the preview says in words what the policy means")
    console.axe("publish preview")
    console.shot("veroeffentlichen-vorschau")
    console.submit(driver.find_element(By.CSS_SELECTOR, "button[name=step][value=publish]"))
    check("Der Datensatz ist veröffentlicht" in driver.page_source, "the steward publishes after the preview")
    dataset = driver.find_element(By.CSS_SELECTOR, "main strong").text
    check(dataset.startswith("urn:uuid:"), "the answer names the new dataset %s" % dataset)
    console.axe("published")
    # A forged form: the same form without its CSRF token is refused and publishes nothing.
    driver.get(base + "/console/datasets/new")
    driver.execute_script("document.querySelector('main form input[name=csrf]').remove()")
    driver.find_element(By.ID, "f-title").send_keys("Gefälscht")
    driver.find_element(By.ID, "f-file").send_keys(data_file)
    console.submit(driver.find_element(By.CSS_SELECTOR, "button[name=step][value=preview]"))
    check("Das Formular ist abgelaufen oder ungültig" in driver.page_source, "a form without its CSRF token is refused")
    console.submit(driver.find_element(By.LINK_TEXT, "Datensätze"))
    check("Parkhausbelegung Jena" in driver.page_source and "Gefälscht" not in driver.page_source,
          "the published dataset is listed, the forged one is not")
    console.logout()
    return dataset


def auditor_cannot_publish(console, base, account, secret):
    driver = console.driver
    console.login(base, account, secret)
    console.submit(driver.find_element(By.LINK_TEXT, "Datensätze"))
    check(not driver.find_elements(By.LINK_TEXT, "Datensatz veröffentlichen"), "the auditor sees no publish link")
    driver.get(base + "/console/datasets/new")
    check(console.h1() == "Keine Berechtigung" and "steward, operator" in driver.page_source,
          "the auditor is refused the publish form, naming the roles that may")
    console.axe("refusal")
    console.logout()


def steward_negotiates(console, base, account, secret, dataset):
    """The consumer's steward finds the partner's dataset in the Katalog and negotiates it with a purpose."""
    driver = console.driver
    console.login(base, account, secret)
    console.submit(driver.find_element(By.LINK_TEXT, "Katalog"))
    console.submit(driver.find_element(By.XPATH, "//button[text()='Kataloge der Partner jetzt abrufen']"))
    console.submit(driver.find_element(By.LINK_TEXT, "Katalog"))
    driver.find_element(By.ID, "f-suche").send_keys("Parkhausbelegung")
    console.submit(driver.find_element(By.XPATH, "//button[text()='Suchen']"))
    row = driver.find_element(By.XPATH, "//tr[td[text()='%s']]" % dataset)
    check("only region 16" in row.text and "at most 2 transfers" in row.text,
          "the consumer's steward finds the dataset with its terms in the Katalog")
    console.axe("Katalog")
    console.shot("katalog")
    row.find_element(By.NAME, "purpose").send_keys("Verkehrsplanung")
    console.submit(row.find_element(By.XPATH, ".//button[text()='Verhandeln']"))
    check("Erledigt. Kennung: urn:uuid:" in driver.page_source, "the steward starts the negotiation from the Katalog")
    console.logout()


def consumer_fetches(setup, dataset):
    """The contract the console's negotiation made, then a transfer and its download through the consumer's API."""
    base, token = setup["consumer"], setup["consumerToken"]

    def negotiation():
        listed = api(base, token, "GET", "/api/negotiations")["negotiations"]
        return next((n for n in listed if n["dataset"] == dataset), None)
    final = poll("the negotiation", negotiation,
                 lambda n: n is not None and n["state"] in ("FINALIZED", "TERMINATED") and not n.get("awaiting"))
    check(final["state"] == "FINALIZED" and final.get("purpose") == "Verkehrsplanung",
          "the negotiation ends in a contract (%s)" % final.get("reason", final["state"]))
    agreement = final["agreementId"]
    transfer = api(base, token, "POST", "/api/transfers", {"agreementId": agreement})
    poll("the transfer start", lambda: api(base, token, "GET", "/api/transfers/" + transfer["pid"]),
         lambda t: t["state"] in ("STARTED", "TERMINATED"))
    out = os.path.join(setup["work"], "fetched.csv")
    events = api(base, token, "POST", "/api/transfers/%s/download" % transfer["pid"], {"out": out}, timeout=60, lines=True)
    check(events and events[-1].get("event") == "verified", "the download ends verified: %s" % events[-1:])
    done = poll("the transfer's end", lambda: api(base, token, "GET", "/api/transfers/" + transfer["pid"]),
                lambda t: t["state"] in ("COMPLETED", "TERMINATED"))
    check(done["state"] == "COMPLETED" and open(out, "rb").read() == open(setup["file"], "rb").read(),
          "the consumer fetches the data under the contract")
    return agreement


def auditor_verifies(console, base, account, secret, agreement, work):
    driver = console.driver
    console.login(base, account, secret)
    console.submit(driver.find_element(By.LINK_TEXT, "Verhandlungen und Verträge"))
    console.axe("Verhandlungen und Verträge")
    console.shot("verhandlungen")
    console.submit(driver.find_element(By.LINK_TEXT, agreement))
    page = driver.page_source
    check(console.h1() == "Vertrag" and "<dt>Übertragungen genutzt</dt><dd>1</dd>" in page
          and "<dt>Übertragungen übrig</dt><dd>1</dd>" in page, "the contract shows one use taken, one remaining")
    check(page.count("<td>ES256</td><td>ja</td>") == 2, "both signatures verify")
    console.axe("Vertrag")
    console.shot("vertrag")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Nachweispaket").get_attribute("href")
    cookie = driver.get_cookie("verbund_console")["value"]
    request = urllib.request.Request(link, headers={"Cookie": "verbund_console=" + cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        bundle = response.read()
        check(response.headers["Content-Disposition"].startswith("attachment"), "the evidence bundle downloads as a file")
    path = os.path.join(work, "evidence.json")
    with open(path, "wb") as handle:
        handle.write(bundle)
    console.submit(driver.find_element(By.LINK_TEXT, "Protokoll"))
    driver.find_element(By.ID, "f-bundle").send_keys(path)
    console.submit(driver.find_element(By.XPATH, "//button[text()='Prüfen']"))
    check("Alle Prüfungen bestanden." in driver.page_source and "provider-signature" in driver.page_source,
          "the auditor verifies the downloaded bundle in the console: every named check passes")
    console.axe("Nachweisprüfung")
    console.shot("nachweis-pruefung")
    console.submit(driver.find_element(By.LINK_TEXT, "Übertragungen"))
    check("COMPLETED" in driver.page_source, "the transfers page lists the completed transfer")
    console.axe("Übertragungen")
    console.shot("uebertragungen")
    console.logout()


def public_page(console, setup, dataset_title):
    """The provider's public transparency page, without login: the contract the console made (partner city, dataset,
    purpose, one transfer), the terms in plain German and English, and none of the secrets both connectors hold."""
    driver = console.driver
    base = setup["public"]

    def contract_row():
        driver.get(base + "/")
        rows = driver.find_elements(By.XPATH, "//section[@aria-labelledby='contracts']//tbody/tr")
        return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    # The page is built at most every 2 s; the provider counts the transfer once it served data.
    rows = poll("the contract on the public page", contract_row,
                lambda rows: any(r[0] == dataset_title and r[-1] == "1" for r in rows), seconds=20)
    row = next(r for r in rows if r[0] == dataset_title)
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de", "the public page is German for a German browser")
    check(row[1] == setup["consumerName"] and row[2] == "Verkehrsplanung" and row[4] == "1" and row[5] == "1",
          "the public page shows the contract: partner %s, purpose, one contract, one transfer (%s)" % (setup["consumerName"], row))
    terms = driver.find_element(By.XPATH, "//section[@aria-labelledby='datasets']//tr[th//span[text()='%s']]/td[1]"
                                % dataset_title).text
    check("mit 16 beginnt" in terms and "höchstens 2 Übertragungen" in terms and "Verkehrsplanung" in terms,
          "the public page states the terms in plain German: %s" % terms.replace("\n", " / "))
    json_text = urllib.request.urlopen(base + "/transparency.json", timeout=10).read().decode()
    for where, text in [("page", driver.page_source), ("JSON", json_text)]:
        leaked = [secret for secret in setup["secrets"] if secret and secret in text]
        check(not leaked, "the public %s shows no token, key, path or account (%d checked)" % (where, len(setup["secrets"])))
    console.axe("public page")
    console.shot("transparenz")
    console.submit(driver.find_element(By.LINK_TEXT, "English"))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the public page in English on request")
    terms = driver.find_element(By.XPATH, "//section[@aria-labelledby='datasets']//tr[th//span[text()='%s']]/td[1]"
                                % dataset_title).text
    check("starts with 16" in terms and "at most 2 transfers" in terms, "the public page states the terms in plain English")
    check(setup["consumerName"] in driver.page_source and "Verkehrsplanung" in driver.page_source,
          "the English page shows the contract too")
    console.axe("public page (English)")


def main():
    setup = json.load(open(sys.argv[1]))
    arguments = sys.argv[2:]
    axe_source = open(arguments[arguments.index("--axe") + 1]).read() if "--axe" in arguments else None
    screenshots = arguments[arguments.index("--screenshots") + 1] if "--screenshots" in arguments else None
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=de-DE",
                     "--window-size=1100,900", "--hide-scrollbars", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    # A browser set to German: the public page follows Accept-Language (the console its own switch).
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
    console = Console(driver, axe_source, screenshots)
    provider, consumer = setup["accounts"]["provider"], setup["accounts"]["consumer"]
    try:
        if axe_source:
            # The checker must be able to fail: a page without lang and with an unlabeled input has violations.
            driver.get("data:text/html,<!DOCTYPE html><html><head><title>x</title></head><body><input></body></html>")
            driver.execute_script(axe_source)
            found = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a']}}).then(function (r) {"
                " done(r.violations.map(function (v) { return v.id; })); });")
            check("label" in found and "html-has-lang" in found, "axe-core finds the faults of a faulty page: %s" % found)
        operator_tour(console, setup["provider"], *provider["operator"])
        dataset = steward_publishes(console, setup["provider"], *provider["steward"], setup["file"])
        auditor_cannot_publish(console, setup["provider"], *provider["auditor"])
        steward_negotiates(console, setup["consumer"], *consumer["steward"], dataset)
        agreement = consumer_fetches(setup, dataset)
        auditor_verifies(console, setup["consumer"], *consumer["auditor"], agreement, setup["work"])
        public_page(console, setup, "Parkhausbelegung Jena")
        print("ok   every step", flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
