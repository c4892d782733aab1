#!/usr/bin/env python3
"""Drives the console in a real headless Chromium through chromedriver (Selenium): log in, see the overview, move
between the pages with the keyboard and links, switch the language, log out; with --axe, axe-core checks every page
against WCAG 2.0/2.1 A and AA. Started by ConsoleBrowserTests; prints one line per step, exits 1 on the first failure.

usage: console-browser.py BASE_URL ACCOUNT SECRET [--axe AXE_MIN_JS]
"""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def fail(message):
    print("FAIL " + message, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("ok   " + message, flush=True)


def submit(driver, element):
    """Clicks a button or link and waits (at most 10 s) until the next page replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    def replaced(_):
        try:
            old.tag_name
            return False
        except Exception:
            return True
    WebDriverWait(driver, 10).until(replaced)


def axe(driver, source, page):
    driver.execute_script(source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        # An older axe-core (as bundled by axe-selenium-python 2.x) has no WCAG 2.1 tags yet: use those it knows.
        "var tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'].filter(function (t) { return axe.getRules([t]).length > 0; });"
        "axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });")
    if "error" in result:
        fail("axe-core on %s: %s" % (page, result["error"]))
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    check(not violations, "axe-core %s on %s: %s passed, %s" % (
        driver.execute_script("return axe.version"), page, len(result["passes"]), violations or "no violations"))


def main():
    base, account, secret = sys.argv[1], sys.argv[2], sys.argv[3]
    axe_source = open(sys.argv[5]).read() if len(sys.argv) > 5 and sys.argv[4] == "--axe" else None
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=de-DE"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
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
        driver.get(base + "/console/")
        check(driver.current_url.endswith("/console/login"), "without a session the console shows the login page")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de", "German by default")
        if axe_source:
            axe(driver, axe_source, "login")
        driver.find_element(By.ID, "account").send_keys(account)
        driver.find_element(By.ID, "secret").send_keys(secret + "x")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        check("Kontoname oder Geheimnis stimmt nicht" in driver.page_source, "a wrong secret is refused")
        driver.find_element(By.ID, "account").send_keys(account)
        driver.find_element(By.ID, "secret").send_keys(secret)
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        check(driver.find_element(By.TAG_NAME, "h1").text == "Übersicht", "after login the overview is shown")
        check("Braucht Aufmerksamkeit" in driver.page_source, "the overview has its needs-attention list")
        # The skip link is the first stop of the keyboard and leads to the content.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        check(active.get_attribute("class") == "skip" and active.is_displayed(), "the skip link is first and visible on focus")
        if axe_source:
            axe(driver, axe_source, "Übersicht")
        for link, heading in [("Datensätze", "Datensätze"), ("Verhandlungen und Verträge", "Verhandlungen und Verträge"),
                              ("Föderation", "Föderation"), ("Protokoll", "Protokoll")]:
            submit(driver, driver.find_element(By.LINK_TEXT, link))
            check(driver.find_element(By.TAG_NAME, "h1").text == heading, "the link %s opens its page" % link)
            if axe_source:
                axe(driver, axe_source, heading)
        submit(driver, driver.find_element(By.LINK_TEXT, "English"))
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "English on request")
        submit(driver, driver.find_element(By.LINK_TEXT, "Overview"))
        check(driver.find_element(By.TAG_NAME, "h1").text == "Overview", "the language stays English (cookie)")
        submit(driver, driver.find_element(By.XPATH, "//button[text()='Log out']"))
        check("You are logged out." in driver.page_source, "logout")
        driver.get(base + "/console/")
        check(driver.current_url.endswith("/console/login"), "after logout the session is gone")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
