#!/bin/sh
# What the console's browser test (ConsoleBrowserTests) needs beyond the README's prerequisites: headless Chromium,
# chromedriver, Selenium and axe-core (bundled in axe-selenium-python). Idempotent; installs only when run as root.
set -eu
if [ "$(id -u)" = 0 ]; then
    command -v chromium >/dev/null && command -v chromedriver >/dev/null \
        || { apt-get update && apt-get install -y chromium chromium-driver; }
    python3 -c "import selenium" 2>/dev/null || pip install selenium || pip install --break-system-packages selenium
    python3 -c "import axe_selenium_python" 2>/dev/null \
        || pip install axe-selenium-python || pip install --break-system-packages axe-selenium-python
fi
python3 -c "import selenium, axe_selenium_python"
